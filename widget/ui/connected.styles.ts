import { css } from '../css.js';

/**
 * Styles of what only shows once a room is connected (or has history to show): the unread divider, tombstones,
 * the jump to new messages, unread badges, notices, stale presence, a private chat's back button. Adopted with the message actions (widget/ui/message-hooks.ts), so
 * they are not in what an inline room loads before it connects.
 */
export default css`
  /* The composer's attach button, and the upload row on a line of its own above the input. */
  .composer {
    flex-wrap: wrap;
  }
  .attach {
    min-width: var(--_target, 40px);
    min-height: var(--_target, 40px);
    font-size: 1.15em;
  }
  /* Private chats' way back to the room. */
  .back {
    min-height: var(--_target, 32px);
    min-width: var(--_target, 32px);
    padding: 4px 8px;
    color: var(--_accent);
  }
  .back + .title {
    max-width: calc(100% - var(--_target, 32px) - var(--_spacing));
  }
  /* Presence seen before the connection dropped: kept, but marked as not current. */
  [data-stale='true'] {
    font-style: italic;
  }
  .online[data-stale='true'] {
    outline: 1px dashed var(--_border);
  }
  /* Joins, leaves and renames (after the join). */
  .notice {
    align-self: center;
    margin: var(--_spacing) 0;
    color: var(--_muted);
    font-size: 0.82em;
    text-align: center;
  }
  .unread-divider {
    display: flex;
    align-items: center;
    gap: var(--_spacing);
    margin: var(--_spacing) 0;
    color: var(--_danger);
    font-size: 0.78em;
    font-weight: 600;
  }
  .unread-divider::before,
  .unread-divider::after {
    content: '';
    flex: 1;
    border-top: 1px solid currentColor;
    opacity: 0.5;
  }
  .badge {
    min-width: 18px;
    padding: 0 5px;
    border-radius: 9px;
    background: var(--_danger);
    color: var(--_background);
    font-size: 0.75em;
    font-weight: 600;
    line-height: 18px;
    text-align: center;
  }
  .deleted {
    background: none;
    outline: 1px dashed var(--_border);
    color: var(--_muted);
    font-style: italic;
  }
  .jump {
    position: absolute;
    left: 50%;
    bottom: var(--_spacing);
    transform: translateX(-50%);
    padding: 6px 14px;
    background: var(--_accent);
    color: var(--_accent-text);
    box-shadow: var(--_shadow);
    font-size: 0.85em;
    font-weight: 600;
  }
`;
