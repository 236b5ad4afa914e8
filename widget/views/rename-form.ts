/** The inline rename form under the header (loaded the first time it opens). */
import { html } from 'lit/html.js';
import { css } from '../css.js';
import { t } from '../i18n.js';
import { uiLanguage } from '../lang.js';

/** The form's buttons, in every UI language: only this form says them. */
const words = { en: ['Save', 'Cancel'], zh: ['保存', '取消'] } as const;

export interface RenameProps {
  lang: string;
  name: string;
  error: string;
  submit(e: SubmitEvent): void;
  cancel(): void;
}

export function renderRename({ lang, name, error, submit, cancel }: RenameProps) {
  const [save, close] = words[uiLanguage(lang)];
  return html`<form part="rename" class="rename" @submit=${submit}>
    <label class="sr-only" for="rename-input">${t(lang, 'rename')}</label>
    <input
      id="rename-input"
      name="name"
      .value=${name}
      maxlength="32"
      autocomplete="nickname"
      enterkeyhint="done"
      aria-invalid=${error ? 'true' : 'false'}
      aria-describedby="rename-error"
    />
    <button class="button" type="submit">${save}</button>
    <button class="button plain" type="button" @click=${cancel}>${close}</button>
    <div id="rename-error" class="error" role="alert" ?hidden=${!error}>${error}</div>
  </form>`;
}

/** The form's own styles, adopted when it first loads (the header's look, the composer's input and button). */
export const styles = css`
  .rename {
    display: flex;
    flex-wrap: wrap;
    align-items: center;
    gap: var(--_spacing);
    padding: var(--_spacing) calc(var(--_spacing) * 1.5);
    background: var(--_header-background);
    border-bottom: 1px solid var(--_border);
  }
  .rename .error {
    flex-basis: 100%;
  }
  .rename input,
  .button {
    min-height: var(--_target, 40px);
    border-radius: 8px;
  }
  .rename input {
    flex: 1;
    min-width: 0;
    padding: 8px 12px;
    border: 1px solid var(--_border);
    background: var(--_input-background);
    /* At least 16px: smaller inputs make iOS zoom the page. */
    font-size: max(16px, var(--_font-size));
  }
  .button {
    padding: 8px 14px;
    background: var(--_accent);
    color: var(--_accent-text);
    font-weight: 600;
  }
  .plain {
    background: none;
    color: var(--_text);
  }
  @media (pointer: coarse) {
    .rename {
      --_target: 44px;
    }
  }
  @container (max-width: 360px) {
    .rename {
      --_target: 44px;
    }
  }
`;
