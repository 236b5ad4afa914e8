/**
 * The script-tag bundle swaps Socket.IO's and Engine.IO's parsers for
 * text-only codecs: they must speak exactly the wire format of the originals.
 */
import { expect } from '@esm-bundle/chai';
import { parse as engineParse } from 'engine.io-client';
import * as engineParser from 'engine.io-parser';
import * as socketParser from 'socket.io-parser';
import * as engineText from '../../widget/client/engine-text-codec.js';
import * as jsonParser from '../../widget/client/json-parser.js';
import { parse as parseUri } from '../../widget/client/parse-uri.js';

const socketPackets: jsonParser.Packet[] = [
  { type: 0, nsp: '/s/demo', data: { guestKey: 'k_abc', nickname: 'Ada' } },
  { type: 0, nsp: '/s/demo', data: { sid: 'abc' } },
  { type: 1, nsp: '/s/demo' },
  { type: 2, nsp: '/s/demo', data: ['message:new', { text: 'héllo "quoted" <b> 你好 😀', seq: 3 }] },
  { type: 2, nsp: '/s/demo', id: 12, data: ['message:send', { room: 'lobby', text: '12', clientId: 'x' }] },
  { type: 2, nsp: '/', data: ['ping'] },
  { type: 3, nsp: '/s/demo', id: 12, data: [{ ok: true, data: { n: 1 } }] },
  { type: 3, nsp: '/s/demo', id: 7, data: [] },
  { type: 4, nsp: '/s/demo', data: { message: 'origin_not_allowed', data: { code: 'origin_not_allowed' } } },
  { type: 4, nsp: '/', data: 'Invalid namespace' },
];

function decodedBy(decoder: { add(c: unknown): void; on(e: 'decoded', f: (p: unknown) => void): unknown }, text: string): unknown {
  let out: unknown;
  decoder.on('decoded', (p) => (out = p));
  decoder.add(text);
  return out;
}

describe('text-only codecs', () => {
  it('encodes Socket.IO packets exactly as socket.io-parser does', () => {
    const ours = new jsonParser.Encoder();
    const theirs = new socketParser.Encoder();
    for (const packet of socketPackets) {
      expect(ours.encode(packet), JSON.stringify(packet)).to.deep.equal(theirs.encode(packet as socketParser.Packet));
    }
  });

  it("decodes socket.io-parser's output to the same packets", () => {
    for (const packet of socketPackets) {
      const [text] = new socketParser.Encoder().encode(packet as socketParser.Packet) as string[];
      expect(decodedBy(new jsonParser.Decoder(), text!), text).to.deep.equal(decodedBy(new socketParser.Decoder(), text!));
    }
  });

  it('refuses what socket.io-parser refuses, and binary packets', () => {
    const bad = ['9', '2/s/demo,{"a":1}', '2["connect"]', '3/s/demo,5{"x":1}', '0/s/demo,[1]', '1/s/demo,{}', '2/s/demo,[1,'];
    for (const text of bad) {
      expect(() => new socketParser.Decoder().add(text), `socket.io-parser on ${text}`).to.throw();
      expect(() => new jsonParser.Decoder().add(text), `ours on ${text}`).to.throw();
    }
    // Binary events (a header, then attachments) are never sent to the widget.
    expect(() => new jsonParser.Decoder().add('51-["a",{"_placeholder":true,"num":0}]')).to.throw();
    expect(() => new jsonParser.Decoder().add(new Uint8Array([1, 2]))).to.throw();
  });

  it('encodes and decodes Engine.IO text frames exactly as engine.io-parser does', () => {
    const packets: engineParser.Packet[] = [
      { type: 'open', data: '{"sid":"x","pingInterval":10000}' },
      { type: 'ping' },
      { type: 'pong' },
      { type: 'close' },
      { type: 'message', data: '2/s/demo,["message:new",{"text":"你好"}]' },
      { type: 'noop' },
    ];
    for (const packet of packets) {
      let theirs = '';
      let ours = '';
      engineParser.encodePacket(packet, true, (encoded) => (theirs = encoded as string));
      engineText.encodePacket(packet as engineText.Packet, true, (encoded) => (ours = encoded));
      expect(ours).to.equal(theirs);
      expect(engineText.decodePacket(theirs)).to.deep.equal(engineParser.decodePacket(theirs));
    }
    expect(engineText.protocol).to.equal(engineParser.protocol);
    expect(jsonParser.protocol).to.equal(socketParser.protocol);
    for (const bad of ['x', '9', '']) expect(engineText.decodePacket(bad)).to.deep.equal(engineParser.decodePacket(bad));
    expect(engineText.decodePacket(new ArrayBuffer(2)).type).to.equal('error');
  });
});

describe("engine.io-client's URI parser and the URL-based one the bundle uses", () => {
  // What the widget hands Socket.IO: the chat server's origin plus a namespace (and the same through the Manager).
  const uris = [
    'http://127.0.0.1:41234/s/demo',
    'https://chat.example.com/s/demo',
    'https://chat.example.com:443/s/shop-1',
    'http://localhost:80/s/demo',
    'http://[::1]:3000/s/demo',
    'https://chat.example.com',
    'https://chat.example.com/',
    'http://127.0.0.1:5000/s/demo?x=1&y=two',
  ];
  for (const uri of uris) {
    it(uri, () => {
      const original = engineParse(uri) as unknown as Record<string, unknown>;
      const ours = parseUri(uri) as unknown as Record<string, unknown>;
      for (const key of ['protocol', 'host', 'query', 'queryKey', 'ipv6uri', 'source']) {
        expect(ours[key], key).to.deep.equal(original[key]);
      }
      // The URL parser drops a scheme's default port and says "/" for no path; Socket.IO fills in both alike.
      expect(ours.port || defaultPort(String(ours.protocol)), 'port').to.equal(original.port || defaultPort(String(original.protocol)));
      expect(ours.path || '/', 'path').to.equal(original.path || '/');
    });
  }
});

function defaultPort(protocol: string): string {
  return /s$/.test(protocol) ? '443' : '80';
}
