// Bundles the widget, compiled by `tsc -p tsconfig.build.json` into lib/, for
// the `<script src=".../chat-room.js">` tag (scripts/build.mjs runs tsc, then
// these two builds in order):
//
//  - chunksConfig     the lazily loaded parts as ES modules with content-hashed
//                     names, dist/chunks/<name>-<hash>.js: `ui` (the chat view,
//                     lit-html, the connection layer) and what it splits off.
//  - loaderConfig()   dist/chat-room.js, one small classic script: defines
//                     <chat-room>, draws its frame, and imports a part's chunks
//                     (all of them at once: no waterfall) when it is needed.
//
// Bundler users import lib/widget/index.js (tsc's output) instead: the parts
// are dynamic imports there, which their bundler splits.
import { nodeResolve } from '@rollup/plugin-node-resolve';
import terser from '@rollup/plugin-terser';
import { fileURLToPath } from 'node:url';

/** Replaces `process.env.NODE_ENV` (absent in browsers) with "production". */
function nodeEnvProduction() {
  const pattern = /\bprocess\.env\.NODE_ENV\b/g;
  return {
    name: 'node-env-production',
    transform(code) {
      if (!code.includes('process.env.NODE_ENV')) return null;
      return { code: code.replace(pattern, '"production"'), map: null };
    },
  };
}

/**
 * Minifies the static text of lit's tagged templates in our own code (what
 * minify-html-literals does, in the few safe rules we need): in css`...`,
 * comments go and whitespace collapses; in html`...`, indentation runs
 * (whitespace with a newline) collapse to one space. Expressions are untouched.
 */
function minifyLitTemplates({ include = /[/\\]lib[/\\]widget[/\\]/ } = {}) {
  const minifyCss = (text) =>
    text
      .replace(/\/\*[\s\S]*?\*\//g, '')
      .replace(/\s+/g, ' ')
      .replace(/ ?([{};]) ?/g, '$1')
      .replace(/, /g, ',')
      .replace(/: /g, ':')
      .replace(/ !important/g, '!important')
      .replace(/;}/g, '}')
      .replace(/([:( ,])0\./g, '$1.');
  const minifyHtml = (text) => text.replace(/\s*\n\s*/g, ' ');
  return {
    name: 'minify-lit-templates',
    transform(code, id) {
      if (!include.test(id) || !/\b(css|html|svg)\s*`/.test(code)) return null;
      const edits = [];
      const visit = (node) => {
        if (!node || typeof node.type !== 'string') return;
        if (node.type === 'TaggedTemplateExpression' && node.tag.type === 'Identifier') {
          const minify = node.tag.name === 'css' ? minifyCss : node.tag.name === 'html' || node.tag.name === 'svg' ? minifyHtml : null;
          if (minify) {
            for (const quasi of node.quasi.quasis) {
              const raw = code.slice(quasi.start, quasi.end);
              const min = minify(raw);
              if (min !== raw) edits.push([quasi.start, quasi.end, min]);
            }
          }
        }
        for (const key in node) {
          const child = node[key];
          if (Array.isArray(child)) child.forEach(visit);
          else if (child && typeof child === 'object' && key !== 'parent') visit(child);
        }
      };
      visit(this.parse(code));
      if (!edits.length) return null;
      let out = code;
      for (const [start, end, text] of edits.sort((a, b) => b[0] - a[0])) {
        out = out.slice(0, start) + text + out.slice(end);
      }
      return { code: out, map: null };
    },
  };
}

/**
 * The widget connects with `transports: ['websocket']`, so engine.io-client's
 * WebTransport and long-polling transports are dead weight in the script-tag
 * bundle, and so is its transport-upgrade probe (there is nothing to upgrade
 * to): drop them. Each edit is a no-op if the file changes shape, and the
 * size budget then says so.
 */
function websocketOnly() {
  const esm = /engine\.io-client[/\\]build[/\\]esm[/\\]/;
  return {
    name: 'websocket-only',
    transform(code, id) {
      if (!esm.test(id)) return null;
      // Their module-level setup (unload handlers, an XHR probe) would keep them in the bundle unused.
      if (/transports[/\\](polling|webtransport)/.test(id)) return { code, map: null, moduleSideEffects: false };
      if (/transports[/\\]index\.js$/.test(id)) {
        const out = code
          .replace(/^import \{ WT \} from "\.\/webtransport\.js";\n/m, '')
          .replace(/^\s*webtransport: WT,\n/m, '')
          .replace(/^import \{ XHR \} from "\.\/polling-xhr(\.node)?\.js";\n/m, '')
          .replace(/^\s*polling: XHR,\n/m, '');
        return /\b(WT|XHR)\b/.test(out) ? null : { code: out, map: null };
      }
      if (/[/\\]socket\.js$/.test(id)) {
        const start = code.indexOf('    _probe(name) {');
        const end = code.indexOf('    /**\n     * Called when connection is deemed open.');
        if (start < 0 || end < start) return null;
        return { code: `${code.slice(0, start)}    _probe() {}\n${code.slice(end)}`, map: null };
      }
      return null;
    },
  };
}

/**
 * Socket.IO client methods the connection layer never calls (catch-all
 * listeners, the `retries` queue): the class is private to widget/client/
 * connection.ts, so they are dead weight. Each method's block starts at its
 * JSDoc; a block is dropped only when its method is on the list.
 */
function stripUnusedSocketMethods() {
  const unused = new Set([
    'onAny', 'prependAny', 'offAny', 'listenersAny',
    'onAnyOutgoing', 'prependAnyOutgoing', 'offAnyOutgoing', 'listenersAnyOutgoing',
    '_addToQueue', 'send', 'compress',
  ]);
  return {
    name: 'strip-unused-socket-methods',
    transform(code, id) {
      if (!/socket\.io-client[/\\]build[/\\]esm[/\\]socket\.js$/.test(id)) return null;
      const blocks = code.split('\n    /**');
      const kept = blocks.filter((block, i) => !(i > 0 && unused.has(/\n {4}([_a-zA-Z]+)\(/.exec(block)?.[1])));
      if (kept.length === blocks.length) return null;
      // The advice for a Socket.IO v2 server (with a link) is for developers, who see the error code anyway.
      const out = kept.join('\n    /**').replace(/new Error\("It seems you are trying to reach a Socket\.IO server in v2\.x[^"]*"\)/, 'new Error("not a Socket.IO v3+ server")');
      return { code: out, map: null };
    },
  };
}

/**
 * Text-only codecs with the same wire formats in place of Socket.IO's and
 * Engine.IO's parsers, whose binary support the widget never uses: the
 * connection passes widget/client/json-parser.ts as Socket.IO's `parser` (so
 * socket.io-parser's default is dead code), and over WebSocket every Engine.IO
 * frame is text (widget/client/engine-text-codec.ts).
 */
function textOnlyCodecs() {
  const codecs = {
    'socket.io-parser': './lib/widget/client/json-parser.js',
    'engine.io-parser': './lib/widget/client/engine-text-codec.js',
  };
  return {
    name: 'text-only-codecs',
    resolveId(source, importer) {
      // engine.io-client's URI regex: the browser's URL parser does it (widget/client/parse-uri.ts).
      if (/[/\\]contrib[/\\]parseuri\.js$/.test(source) || (source === './contrib/parseuri.js' && /engine\.io-client/.test(importer ?? ''))) {
        return fileURLToPath(new URL('./lib/widget/client/parse-uri.js', import.meta.url));
      }
      // The long-polling and WebTransport transports (left out of the bundle) keep the real parser.
      if (!codecs[source] || /transports[/\\](polling|webtransport)/.test(importer ?? '')) return null;
      return fileURLToPath(new URL(codecs[source], import.meta.url));
    },
  };
}

/** Unresolved imports would become undefined globals or broken chunks: fail instead. */
function failOnWarnings(warning, warn) {
  // tsc's decorator helper reads `this && this.__decorate`; undefined in ESM is what it expects.
  if (warning.code === 'THIS_IS_UNDEFINED' && /[/\\]lib[/\\]/.test(warning.id ?? '')) return;
  if (warning.code === 'UNRESOLVED_IMPORT' || warning.code === 'MISSING_GLOBAL_NAME') {
    throw new Error(`rollup: ${warning.message}`);
  }
  warn(warning);
}

/** The browser + production build of every dependency (no lit dev mode, no Node `ws`). */
const resolve = () =>
  nodeResolve({
    browser: true,
    exportConditions: ['production', 'browser'],
    preferBuiltins: false,
  });

const compress = { passes: 3, toplevel: true };

/** Where each part starts; `loadUi` etc. in widget/parts.ts import them. */
export const PARTS = {
  ui: 'lib/widget/ui/index.js',
  client: 'lib/widget/client/preconnect.js',
  launcher: 'lib/widget/launcher/index.js',
  badge: 'lib/widget/badge/index.js',
  notify: 'lib/widget/notify/index.js',
  outdated: 'lib/widget/controllers/reload-when-quiet.js',
};

/** Dependencies shared by several parts get chunks of their own, named for what they hold. */
function sharedChunk(id) {
  // Only the member panel (a lazily loaded region) uses it: it goes with it, not into what every room loads.
  if (/[/\\]lib[/\\]widget[/\\]client[/\\]member-directory\.js$/.test(id)) return undefined;
  // Private chats: loaded when one is opened (an incoming one only counts as unread until then).
  if (/[/\\]lib[/\\]widget[/\\]client[/\\]direct-conversation\.js$/.test(id)) return undefined;
  // Typing and timeline notices: loaded while the connection opens, awaited before every join.
  if (/[/\\]lib[/\\]widget[/\\]client[/\\]room-activity\.js$/.test(id)) return undefined;
  // The heartbeat: loaded on the first connect.
  if (/[/\\]lib[/\\]widget[/\\]client[/\\]heartbeat\.js$/.test(id)) return undefined;
  // Image uploads: loaded on the first image sent.
  if (/[/\\]lib[/\\]widget[/\\]client[/\\]image-upload\.js$/.test(id)) return undefined;
  // Reactions, edits, change replay and blocks: a chunk of their own, loaded before the first join (not the first render).
  if (/[/\\]lib[/\\]widget[/\\]client[/\\]rich-[a-z-]+\.js$/.test(id)) return undefined;
  if (/node_modules[/\\](socket\.io-client|engine\.io-client|@socket\.io[/\\]component-emitter)[/\\]/.test(id)) return 'client';
  if (/[/\\]lib[/\\](widget[/\\]client|protocol)[/\\]|[/\\]lib[/\\]widget[/\\]room-name\.js$/.test(id)) return 'client';
  if (/node_modules[/\\](lit-html|lit|@lit)[/\\]/.test(id)) return 'ui';
  // The view's own modules, which the lazily loaded regions import too (else they would make a chunk of their own);
  // not the reload of an outdated page, a part of its own.
  if (/reload-when-quiet\.js$/.test(id)) return undefined;
  // What messages' controls do and the styles of what shows once connected: loaded with the rich renderers.
  if (/[/\\]lib[/\\]widget[/\\](ui[/\\](message-hooks|connected\.styles)|controllers[/\\]live-region)\.js$/.test(id)) return undefined;
  if (/[/\\]lib[/\\]widget[/\\](ui|controllers)[/\\]|[/\\]lib[/\\]widget[/\\]views[/\\](header|composer|message-list)\.js$|[/\\]lib[/\\]widget[/\\](i18n|format|css)\.js$/.test(id)) return 'ui';
  return undefined;
}

export const chunksConfig = {
  input: PARTS,
  // A part's entry chunk may also export what its lazily loaded regions import: no extra facade file.
  preserveEntrySignatures: 'allow-extension',
  output: {
    dir: 'dist/chunks',
    format: 'es',
    entryFileNames: '[name]-[hash].js',
    chunkFileNames: '[name]-[hash].js',
    manualChunks: sharedChunk,
    sourcemap: false,
  },
  onwarn: failOnWarnings,
  plugins: [
    nodeEnvProduction(),
    minifyLitTemplates(),
    websocketOnly(),
    stripUnusedSocketMethods(),
    textOnlyCodecs(),
    resolve(),
    terser({ ecma: 2022, module: true, compress, mangle: true, format: { comments: false } }),
  ],
};

/**
 * Replaces widget/parts.js in the loader: `loadUi()` etc. import every file of
 * the part (its entry chunk and the chunks that one imports) in parallel from
 * `chunks/` next to the script, and answer the entry's exports.
 */
function lazyParts(files) {
  return {
    name: 'lazy-parts',
    load(id) {
      if (!/[/\\]lib[/\\]widget[/\\]parts\.js$/.test(id)) return null;
      const exports = Object.entries(files).map(
        ([part, list]) => `export const load${part[0].toUpperCase()}${part.slice(1)} = () => load(${JSON.stringify(list)});`,
      );
      return [
        // Read while the script runs: document.currentScript is only set then.
        "const base = new URL('chunks/', document.currentScript?.src || location.href).href;",
        'const load = (files) => Promise.all(files.map((f) => import(base + f))).then((m) => m[0]);',
        ...exports,
      ].join('\n');
    },
  };
}

/** The loader, given each part's files (entry chunk first) from the chunks build. */
export function loaderConfig(files) {
  return {
    input: 'lib/widget/define.js',
    output: { file: 'dist/chat-room.js', format: 'iife', sourcemap: false },
    onwarn: failOnWarnings,
    plugins: [
      lazyParts(files),
      minifyLitTemplates(),
      resolve(),
      terser({
        ecma: 2022,
        // Not `module: true`: that drops the IIFE's "use strict", and a
        // classic script would then run sloppy. Everything sits inside the
        // IIFE, so toplevel mangling already reaches every name.
        compress,
        mangle: { toplevel: true },
        format: { comments: false },
      }),
    ],
  };
}
