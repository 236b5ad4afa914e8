/**
 * The launcher's panel and the chat view share one shadow root, so their
 * styles must not reach each other's elements: on a phone the member list
 * (a `.panel` of the view) once took the launcher panel's full-screen height,
 * and the launcher panel the view's transparent panel background, so the
 * page showed through its close bar.
 */
import { expect } from '@esm-bundle/chai';
import { setViewport } from '@web/test-runner-commands';
import { saveOpen } from '../../widget/launcher/launcher-state.js';
import { $, SERVER, cleanup, connected, mount, uniqueRoom, waitFor } from './helpers.js';

describe('launcher on a phone with the member list open', () => {
  afterEach(async () => {
    cleanup();
    // An open launcher is remembered per server and site: the next file's launchers start closed.
    saveOpen(SERVER, 'demo', false);
    await setViewport({ width: 800, height: 600 });
  });

  it('keeps the launcher panel opaque and the member list its own size', async () => {
    await setViewport({ width: 375, height: 667 });
    const el = await mount({ mode: 'launcher', room: uniqueRoom('phone-members'), site: 'demo', open: '' });
    await connected(el);
    const panel = await waitFor(() => el.shadowRoot!.querySelector<HTMLElement>('[part="panel"]'), 'the launcher panel');
    expect(getComputedStyle(panel).backgroundColor).to.not.equal('rgba(0, 0, 0, 0)');
    expect(panel.getBoundingClientRect().height).to.equal(667);

    $(el, '[part="online"]')!.click();
    const members = await waitFor(() => $(el, '[part="members"]'), 'the member list');
    expect(getComputedStyle(members).position).to.not.equal('fixed');
    const list = $(el, '[part="member-list"]')!;
    // The one member is listed right under the heading, not pushed down by a stretched panel.
    expect(list.getBoundingClientRect().top - members.getBoundingClientRect().top).to.be.lessThan(80);
    expect(members.getBoundingClientRect().bottom).to.be.at.most(667);
  });
});
