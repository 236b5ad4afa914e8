/** `/` of the chat server: a plain page that says what this is and links to the demo. */
import type { RequestHandler } from 'express';

export function homePage(demoUrl: () => string | undefined): RequestHandler {
  return (_req, res) => {
    const demo = demoUrl();
    const link = demo
      ? `<p>See it embedded on another origin: <a href="${escapeHtml(demo)}">${escapeHtml(demo)}</a></p>`
      : '<p>The demo host is off.</p>';
    res.type('html').send(
      `<!doctype html><html lang="en"><meta charset="utf-8"><title>chat-room server</title>` +
        `<h1>chat-room server</h1><p>The widget bundle is at <a href="/chat-room.js">/chat-room.js</a>.</p>${link}</html>\n`,
    );
  };
}

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}
