// Bundles the widget, compiled by `tsc -p tsconfig.build.json` into lib/, for
// the two ways it is consumed (scripts/build.mjs runs tsc first, then this):
//
//  - dist/chat-room.js      one minified classic script for the
//                           `<script src=".../chat-room.js">` tag: lit and the
//                           browser build of socket.io-client inside, registers
//                           <chat-room> if the name is free (widget/define.ts).
//  - dist/chat-room.esm.js  ESM for bundler users: exports the ChatRoom class
//                           without registering it (widget/index.ts); lit and
//                           socket.io-client stay imports, so the app dedupes
//                           them. Types: lib/widget/index.d.ts.
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
      .replace(/, /g, ',');
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
    '_addToQueue',
  ]);
  return {
    name: 'strip-unused-socket-methods',
    transform(code, id) {
      if (!/socket\.io-client[/\\]build[/\\]esm[/\\]socket\.js$/.test(id)) return null;
      const blocks = code.split('\n    /**');
      const kept = blocks.filter((block, i) => !(i > 0 && unused.has(/\n {4}([_a-zA-Z]+)\(/.exec(block)?.[1])));
      return kept.length === blocks.length ? null : { code: kept.join('\n    /**'), map: null };
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
      // The long-polling and WebTransport transports (left out of the bundle) keep the real parser.
      if (!codecs[source] || /transports[/\\](polling|webtransport)/.test(importer ?? '')) return null;
      return fileURLToPath(new URL(codecs[source], import.meta.url));
    },
  };
}

/** Unresolved imports in the classic script would become undefined globals: fail instead. */
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

const external = (id) =>
  id === 'lit' ||
  id.startsWith('lit/') ||
  id.startsWith('@lit/') ||
  id === 'socket.io-client';

export default [
  {
    input: 'lib/widget/define.js',
    output: {
      file: 'dist/chat-room.js',
      format: 'iife',
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
      terser({
        ecma: 2022,
        // Not `module: true`: that drops the IIFE's "use strict", and a
        // classic script would then run sloppy. Everything sits inside the
        // IIFE, so toplevel mangling already reaches every name.
        compress: { passes: 3, toplevel: true },
        mangle: { toplevel: true },
        format: { comments: false },
      }),
    ],
  },
  {
    input: 'lib/widget/index.js',
    external,
    output: {
      file: 'dist/chat-room.esm.js',
      format: 'es',
      sourcemap: false,
    },
    onwarn: failOnWarnings,
    plugins: [nodeEnvProduction(), resolve()],
  },
];
