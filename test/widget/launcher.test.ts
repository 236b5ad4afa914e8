/**
 * The launcher of `<chat-room mode="launcher">` (widget/launcher/launcher.ts), as
 * the shell composes it: a floating button with an unread badge that opens a
 * dialog panel anchored above it, full-screen on phones, closed by Escape
 * unless the chat inside used that Escape, remembered per site across loads.
 */
import { expect } from '@esm-bundle/chai';
import { a11ySnapshot, emulateMedia, findAccessibilityNode, sendKeys, sendMouse, setViewport } from '@web/test-runner-commands';
import { Launcher, type LauncherLabel } from '../../widget/launcher/launcher.js';
import { launcherCss } from '../../widget/launcher/launcher.styles.js';
import { loadOpen, saveOpen } from '../../widget/launcher/launcher-state.js';
import { $, cleanup, connected, mount, uniqueRoom, waitFor } from './helpers.js';

interface AxNode {
  role: string;
  name: string;
  expanded?: boolean;
  children: AxNode[];
}

const english: Record<LauncherLabel, (count?: string) => string> = {
  open: () => 'Open chat',
  close: () => 'Close chat',
  unread: (count) => `Open chat, ${count} unread`,
  dialog: () => 'Chat',
};

const chinese: Record<LauncherLabel, (count?: string) => string> = {
  open: () => '打开聊天',
  close: () => '关闭聊天',
  unread: (count) => `打开聊天，${count} 条未读`,
  dialog: () => '聊天',
};

const sheet = new CSSStyleSheet();
sheet.replaceSync(launcherCss);

/** A stand-in for the shell: an element with an open shadow root that composes the real Launcher and remembers its state. */
class TestShell extends HTMLElement {
  readonly launcher: Launcher;
  readonly changes: boolean[] = [];
  intents = 0;

  constructor() {
    super();
    const root = this.attachShadow({ mode: 'open' });
    root.adoptedStyleSheets = [sheet];
    this.launcher = new Launcher(root, {
      label: (key, count) => (this.lang === 'zh' ? chinese : english)[key](count),
      onOpenChange: (open) => {
        this.changes.push(open);
        saveOpen(this.getAttribute('server')!, this.getAttribute('site')!, open);
      },
      onIntent: () => this.intents++,
    });
  }

  connectedCallback(): void {
    this.launcher.open = loadOpen(this.getAttribute('server')!, this.getAttribute('site')!);
  }
}
customElements.define('test-launcher-shell', TestShell);

/** The chat the shell mounts in the panel: a focusable input, and a panel of its own that takes the first Escape. */
class TestInner extends HTMLElement {
  ownPanelOpen = true;

  constructor() {
    super();
    const root = this.attachShadow({ mode: 'open' });
    const base = document.createElement('div');
    base.setAttribute('part', 'base');
    base.style.cssText = 'height: 100%; border: 5px solid red; box-sizing: border-box';
    base.append(document.createElement('input'));
    root.append(base);
    // As the chat does: the innermost open thing takes Escape and says so.
    this.addEventListener('keydown', (e) => {
      if (e.key === 'Escape' && this.ownPanelOpen) {
        this.ownPanelOpen = false;
        e.preventDefault();
      }
    });
  }

  get input(): HTMLInputElement {
    return this.shadowRoot!.querySelector('input')!;
  }
}
customElements.define('test-launcher-inner', TestInner);

const shells: TestShell[] = [];

function mountShell(site = `site-${Math.random().toString(36).slice(2, 8)}`): TestShell {
  const shell = document.createElement('test-launcher-shell') as TestShell;
  shell.setAttribute('server', 'https://chat.example');
  shell.setAttribute('site', site);
  document.body.append(shell);
  shells.push(shell);
  return shell;
}

const part = (shell: TestShell, name: string) => shell.shadowRoot!.querySelector<HTMLElement>(`[part="${name}"]`)!;

/** What has focus: a part name inside the shell, or the element outside it (compared as text: chai hangs formatting live elements). */
function focusName(shell: TestShell): string {
  if (document.activeElement !== shell) return `outside (${document.activeElement?.localName})`;
  const at = shell.shadowRoot!.activeElement;
  return at?.getAttribute('part') ?? at?.localName ?? 'shell';
}

function rect(el: Element): { x: number; y: number; width: number; height: number } {
  const r = el.getBoundingClientRect();
  return { x: Math.round(r.x), y: Math.round(r.y), width: Math.round(r.width), height: Math.round(r.height) };
}

/** Clicks the middle of an element as the user would, then lets the panel's open animation end (it moves the panel). */
async function click(el: Element): Promise<void> {
  const r = el.getBoundingClientRect();
  await sendMouse({ type: 'click', position: [Math.round(r.x + r.width / 2), Math.round(r.y + r.height / 2)] });
  await Promise.all((el.getRootNode() as ShadowRoot).getAnimations().map((a) => a.finished));
}

const visible = (el: Element) => el.checkVisibility({ visibilityProperty: true });

/** The page's accessibility tree (what a screen reader is given). */
async function axTree(): Promise<AxNode> {
  return (await a11ySnapshot({})) as unknown as AxNode;
}

describe('<chat-room mode="launcher"> launcher', () => {
  before(() => setViewport({ width: 1280, height: 800 }));
  afterEach(async () => {
    cleanup();
    for (const shell of shells.splice(0)) shell.remove();
    await sendMouse({ type: 'move', position: [0, 0] });
    await setViewport({ width: 1280, height: 800 });
  });
  after(() => setViewport({ width: 800, height: 600 }));

  it('opens and closes with the mouse, focus going into the panel and back to the button', async () => {
    const shell = mountShell();
    const button = part(shell, 'launcher');
    expect(button.localName).to.equal('button');
    expect(button.getAttribute('aria-expanded')).to.equal('false');
    expect(part(shell, 'panel').hidden).to.equal(true);

    await click(button);
    expect(button.getAttribute('aria-expanded')).to.equal('true');
    expect(visible(part(shell, 'panel'))).to.equal(true);
    expect(focusName(shell)).to.equal('panel');
    expect(button.getAttribute('aria-label')).to.equal('Close chat');

    await click(button);
    expect(button.getAttribute('aria-expanded')).to.equal('false');
    expect(visible(part(shell, 'panel'))).to.equal(false);
    expect(focusName(shell)).to.equal('launcher');
    expect(shell.changes).to.deep.equal([true, false]);
  });

  it('opens with Enter and Space on the button and closes with Escape, focus back on the button', async () => {
    const shell = mountShell();
    const button = part(shell, 'launcher');
    button.focus();
    await sendKeys({ press: 'Enter' });
    expect(button.getAttribute('aria-expanded')).to.equal('true');
    expect(focusName(shell)).to.equal('panel');
    await sendKeys({ press: 'Escape' });
    expect(button.getAttribute('aria-expanded')).to.equal('false');
    expect(focusName(shell)).to.equal('launcher');

    await sendKeys({ press: 'Space' });
    expect(button.getAttribute('aria-expanded')).to.equal('true');
    // Escape from the button itself closes the open panel too.
    button.focus();
    await sendKeys({ press: 'Escape' });
    expect(button.getAttribute('aria-expanded')).to.equal('false');
    expect(shell.changes).to.deep.equal([true, false, true, false]);
  });

  it('leaves an Escape the chat inside used (defaultPrevented) to the chat, and closes on the next one', async () => {
    const shell = mountShell();
    const inner = document.createElement('test-launcher-inner') as TestInner;
    shell.launcher.panel.append(inner);
    await click(part(shell, 'launcher'));
    inner.input.focus();

    await sendKeys({ press: 'Escape' });
    expect(inner.ownPanelOpen, 'the chat closed its own panel').to.equal(false);
    expect(shell.launcher.open, 'the launcher panel stays open').to.equal(true);
    expect(document.activeElement === shell && shell.shadowRoot!.activeElement === inner).to.equal(true);

    await sendKeys({ press: 'Escape' });
    expect(shell.launcher.open).to.equal(false);
    expect(focusName(shell)).to.equal('launcher');
    expect(shell.changes).to.deep.equal([true, false]);
  });

  it('with the real chat in its panel, Escape first closes its member list, then the panel; the chat is frameless', async () => {
    const el = await mount({ mode: 'launcher', room: uniqueRoom('launcher'), site: 'demo' });
    await waitFor(() => el.shadowRoot!.querySelector('[part="panel"]'), 'the launcher part');
    await click(el.shadowRoot!.querySelector('[part="launcher"]')!);
    await el.updateComplete;
    await connected(el);
    const panel = el.shadowRoot!.querySelector<HTMLElement>('[part="panel"]')!;
    const base = $(el, '[part="base"]')!;
    // The panel is its frame: the chat fills it, inside its 1 px border, and draws no border of its own.
    expect(rect(base)).to.deep.equal({ ...rect(panel), x: rect(panel).x + 1, y: rect(panel).y + 1, width: rect(panel).width - 2, height: rect(panel).height - 2 });
    expect(getComputedStyle(base).borderTopWidth).to.equal('0px');
    $(el, '[part="online"]')!.focus();
    await sendKeys({ press: 'Enter' });
    await waitFor(() => $(el, '[part="members"]'), 'member list');

    await sendKeys({ press: 'Escape' });
    await el.updateComplete;
    expect(!!$(el, '[part="members"]'), 'member list open').to.equal(false);
    expect(el.open, 'the launcher panel stays open').to.equal(true);

    await sendKeys({ press: 'Escape' });
    expect(el.open).to.equal(false);
    expect(el.shadowRoot!.activeElement?.getAttribute('part')).to.equal('launcher');
  });

  it('shows the unread count on the badge and in the button label: hidden at 0 and while open, "99+" when capped', async () => {
    const shell = mountShell();
    const button = part(shell, 'launcher');
    const badge = part(shell, 'badge');
    expect(visible(badge)).to.equal(false);
    expect(button.getAttribute('aria-label')).to.equal('Open chat');

    shell.launcher.setBadge(3, false);
    expect(visible(badge)).to.equal(true);
    expect(badge.textContent).to.equal('3');
    expect(button.getAttribute('aria-label')).to.equal('Open chat, 3 unread');
    // The badge sits on the button's top right corner.
    const b = badge.getBoundingClientRect();
    const r = button.getBoundingClientRect();
    expect(b.right).to.be.greaterThan(r.right - 8);
    expect(b.top).to.be.lessThan(r.top + 8);
    // Screen readers get the count once, from the button's name.
    const tree = await axTree();
    const node = findAccessibilityNode<AxNode>(tree, (n) => n.role === 'button' && n.name === 'Open chat, 3 unread');
    expect(node, JSON.stringify(tree)).to.not.equal(null);
    expect(JSON.stringify(tree)).to.not.match(/"name":"3"/);

    // While the panel is open the chat itself is in view: no badge.
    await click(button);
    expect(visible(badge)).to.equal(false);
    await click(button);
    expect(visible(badge)).to.equal(true);

    shell.launcher.setBadge(99, true);
    expect(badge.textContent).to.equal('99+');
    expect(button.getAttribute('aria-label')).to.equal('Open chat, 99+ unread');
    shell.launcher.setBadge(250, false);
    expect(badge.textContent).to.equal('99+');

    shell.launcher.setBadge(0, false);
    expect(visible(badge)).to.equal(false);
    expect(button.getAttribute('aria-label')).to.equal('Open chat');
  });

  it('is a labelled button that controls a labelled dialog', async () => {
    const shell = mountShell();
    const button = part(shell, 'launcher');
    const panel = part(shell, 'panel');
    expect(shell.shadowRoot!.getElementById(button.getAttribute('aria-controls')!) === panel).to.equal(true);
    await click(button);
    const tree = await axTree();
    expect(findAccessibilityNode<AxNode>(tree, (n) => n.role === 'button' && n.name === 'Close chat' && n.expanded === true), JSON.stringify(tree)).to.not.equal(null);
    expect(findAccessibilityNode<AxNode>(tree, (n) => n.role === 'dialog' && n.name === 'Chat'), JSON.stringify(tree)).to.not.equal(null);
  });

  it('asks the shell to start loading on the first hover or focus, once', async () => {
    const shell = mountShell();
    const button = part(shell, 'launcher');
    const r = button.getBoundingClientRect();
    await sendMouse({ type: 'move', position: [Math.round(r.x + 10), Math.round(r.y + 28)] });
    expect(shell.intents).to.equal(1);
    button.focus();
    await click(button);
    expect(shell.intents).to.equal(1);

    const other = mountShell();
    part(other, 'launcher').focus();
    expect(other.intents).to.equal(1);
  });

  it('on a desktop, sits bottom right and opens its panel right above it, inside the viewport', async () => {
    const shell = mountShell();
    const button = part(shell, 'launcher');
    expect(rect(button)).to.deep.equal({ x: 1280 - 20 - 56, y: 800 - 20 - 56, width: 56, height: 56 });
    await click(button);
    const panel = rect(part(shell, 'panel'));
    expect(panel.width).to.equal(370);
    expect(panel.height).to.equal(600);
    expect(panel.x + panel.width, 'right edges aligned').to.equal(1280 - 20);
    expect(panel.y + panel.height, 'above the button, 16 px apart').to.equal(rect(button).y - 16);
    expect(panel.y).to.be.at.least(0);
    expect(visible(part(shell, 'close')), 'the button closes it on a desktop').to.equal(false);

    // A short window: the panel shrinks to stay inside it.
    await setViewport({ width: 1280, height: 500 });
    const short = rect(part(shell, 'panel'));
    expect(short.y).to.be.at.least(0);
    expect(short.y + short.height).to.equal(500 - 20 - 56 - 16);
  });

  it('takes its side, offsets and panel size from custom properties', async () => {
    const shell = mountShell();
    shell.style.cssText =
      '--chat-room-launcher-left: 24px; --chat-room-launcher-right: auto; --chat-room-launcher-bottom: 40px; --chat-room-panel-width: 420px; --chat-room-panel-height: 500px';
    const button = part(shell, 'launcher');
    expect(rect(button)).to.deep.equal({ x: 24, y: 800 - 40 - 56, width: 56, height: 56 });
    await click(button);
    expect(rect(part(shell, 'panel'))).to.deep.equal({ x: 24, y: 800 - 40 - 56 - 16 - 500, width: 420, height: 500 });
  });

  it('on a phone, fills the screen with a visible close button, and follows the viewport as the keyboard shrinks it', async () => {
    await setViewport({ width: 375, height: 667 });
    const shell = mountShell();
    const button = part(shell, 'launcher');
    expect(rect(button)).to.deep.equal({ x: 375 - 20 - 56, y: 667 - 20 - 56, width: 56, height: 56 });
    await click(button);
    const panel = part(shell, 'panel');
    expect(rect(panel)).to.deep.equal({ x: 0, y: 0, width: 375, height: 667 });
    const close = part(shell, 'close');
    expect(visible(close)).to.equal(true);
    expect(rect(close).width).to.be.at.least(44);
    expect(close.getAttribute('aria-label')).to.equal('Close chat');
    expect(visible(button), 'the button hides behind the panel').to.equal(false);

    // The on-screen keyboard shrinks the visual viewport: the panel follows it (a stale size would hang below the keyboard).
    await setViewport({ width: 375, height: 400 });
    await new Promise((resolve) => requestAnimationFrame(resolve));
    expect(visualViewport!.height).to.equal(400);
    expect(rect(panel)).to.deep.equal({ x: 0, y: 0, width: 375, height: 400 });

    await click(close);
    expect(shell.launcher.open).to.equal(false);
    expect(visible(button)).to.equal(true);
    expect(focusName(shell)).to.equal('launcher');
    expect(shell.changes).to.deep.equal([true, false]);
  });

  it('remembers open or closed per site across page loads, without taking focus when it reopens', async () => {
    const site = `site-${Math.random().toString(36).slice(2, 8)}`;
    const first = mountShell(site);
    expect(first.launcher.open, 'closed on the first visit').to.equal(false);
    await click(part(first, 'launcher'));
    first.remove();

    const reloaded = mountShell(site);
    expect(reloaded.launcher.open).to.equal(true);
    expect(visible(part(reloaded, 'panel'))).to.equal(true);
    expect(part(reloaded, 'launcher').getAttribute('aria-expanded')).to.equal('true');
    expect(focusName(reloaded)).to.equal('outside (body)');
    const otherSite = mountShell();
    expect(otherSite.launcher.open, 'another site starts closed').to.equal(false);
    otherSite.remove();

    await click(part(reloaded, 'launcher'));
    reloaded.remove();
    expect(mountShell(site).launcher.open).to.equal(false);
  });

  it('starts closed and still works where storage throws (sandboxed frame, privacy mode)', async () => {
    const own = Object.getOwnPropertyDescriptor(window, 'localStorage')!;
    Object.defineProperty(window, 'localStorage', {
      configurable: true,
      get() {
        throw new DOMException('The document is sandboxed', 'SecurityError');
      },
    });
    try {
      const shell = mountShell();
      expect(shell.launcher.open).to.equal(false);
      await click(part(shell, 'launcher'));
      expect(shell.launcher.open).to.equal(true);
    } finally {
      Object.defineProperty(window, 'localStorage', own);
    }
  });

  it('keeps its size and place on a page whose rules hit the element and every button', async () => {
    const calm = mountShell();
    calm.launcher.setBadge(7, false);
    await click(part(calm, 'launcher'));
    const calmRects = ['launcher', 'badge', 'panel'].map((name) => rect(part(calm, name)));
    const calmFont = getComputedStyle(part(calm, 'badge')).font;
    calm.remove();

    const style = document.createElement('style');
    style.textContent = `
      test-launcher-shell { all: unset; position: absolute; top: 0; left: 0; width: 0; height: 0; overflow: hidden;
        font-size: 40px; line-height: 5; letter-spacing: 9px; text-transform: uppercase; text-indent: 50px; writing-mode: vertical-rl; color: red; }
      button { display: none !important; font-size: 40px; position: static !important; }
      div, span { all: unset !important; }
    `;
    document.head.append(style);
    try {
      const loud = mountShell();
      loud.launcher.setBadge(7, false);
      await click(part(loud, 'launcher'));
      expect(getComputedStyle(loud).fontSize, 'the rule does match the host').to.equal('40px');
      expect(['launcher', 'badge', 'panel'].map((name) => rect(part(loud, name)))).to.deep.equal(calmRects);
      expect(getComputedStyle(part(loud, 'badge')).font).to.equal(calmFont);
    } finally {
      style.remove();
    }
  });

  it('keeps the open animation off when the visitor asks for reduced motion', async () => {
    const shell = mountShell();
    const panel = part(shell, 'panel');
    await click(part(shell, 'launcher'));
    expect(getComputedStyle(panel).animationName).to.equal('chat-room-in');
    await click(part(shell, 'launcher'));
    await emulateMedia({ reducedMotion: 'reduce' });
    try {
      await click(part(shell, 'launcher'));
      expect(getComputedStyle(panel).animationName).to.equal('none');
    } finally {
      await emulateMedia({ reducedMotion: 'no-preference' });
    }
  });

  it('asks for its labels again after a change of language', () => {
    const shell = mountShell();
    shell.launcher.setBadge(2, false);
    shell.lang = 'zh';
    shell.launcher.relabel();
    expect(part(shell, 'launcher').getAttribute('aria-label')).to.equal('打开聊天，2 条未读');
    expect(part(shell, 'panel').getAttribute('aria-label')).to.equal('聊天');
    expect(part(shell, 'close').getAttribute('aria-label')).to.equal('关闭聊天');
  });

  it('takes itself out of the page on destroy', () => {
    const shell = mountShell();
    shell.launcher.open = true;
    shell.launcher.destroy();
    expect(shell.shadowRoot!.children.length).to.equal(0);
  });
});
