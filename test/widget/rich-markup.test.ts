/** The formatting parser (widget/rich/markup.ts): its tokens, what stays text, and bounded work on hostile input. */
import { expect } from '@esm-bundle/chai';
import { parse, plainText, type Token } from '../../widget/rich/markup.js';

const text = (v: string): Token => ({ t: 'text', v });

describe('formatting parser', () => {
  it('parses bold, italic, inline code, links, line breaks and mentions', () => {
    expect(parse('a **b** _c_ `d` e')).to.deep.equal([
      text('a '),
      { t: 'b', c: [text('b')] },
      text(' '),
      { t: 'i', c: [text('c')] },
      text(' '),
      { t: 'code', v: 'd' },
      text(' e'),
    ]);
    expect(parse('one\ntwo')).to.deep.equal([text('one'), { t: 'br' }, text('two')]);
    expect(parse('see https://a.example/x.')).to.deep.equal([
      text('see '),
      { t: 'link', v: 'https://a.example/x', href: 'https://a.example/x' },
      text('.'),
    ]);
    expect(parse('hi <@g_abc-1> and <@erased>')).to.deep.equal([
      text('hi '),
      { t: 'mention', id: 'g_abc-1', raw: '<@g_abc-1>' },
      text(' and '),
      { t: 'mention', id: 'erased', raw: '<@erased>' },
    ]);
    expect(parse('**see https://a.example and <@u_x>**')).to.deep.equal([
      {
        t: 'b',
        c: [text('see '), { t: 'link', v: 'https://a.example', href: 'https://a.example/' }, text(' and '), { t: 'mention', id: 'u_x', raw: '<@u_x>' }],
      },
    ]);
  });

  it('parses fenced code blocks, dropping a language line, their content literal', () => {
    expect(parse('before\n```js\nconst a = **1**;\n<b>x</b>\n```\nafter')).to.deep.equal([
      text('before'),
      { t: 'pre', v: 'const a = **1**;\n<b>x</b>' },
      text('after'),
    ]);
    expect(parse('```one``` `two`')).to.deep.equal([{ t: 'pre', v: 'one' }, text(' '), { t: 'code', v: 'two' }]);
  });

  it('keeps nested, unclosed and misplaced markers as text', () => {
    expect(parse('**a _b_ c**')).to.deep.equal([{ t: 'b', c: [text('a _b_ c')] }]);
    expect(parse('_a **b** c_')).to.deep.equal([{ t: 'i', c: [text('a **b** c')] }]);
    expect(parse('`**a**`')).to.deep.equal([{ t: 'code', v: '**a**' }]);
    for (const literal of ['**a', 'a**', '_a', '`a', '```a\nb', '** a**', '**a **', '_ a_', 'snake_case_name', 'a_b', '__init__', 'x.__a = 1; y.__a = 2', '_a__', '__a_', '****', '__', '``']) {
      expect(plainText(parse(literal), (_, raw) => raw), literal).to.equal(literal);
      expect(
        parse(literal).every((k) => k.t === 'text' || k.t === 'br'),
        literal,
      ).to.equal(true);
    }
    // Emphasis does not cross a line.
    expect(parse('**a\nb**')).to.deep.equal([text('**a'), { t: 'br' }, text('b**')]);
  });

  it('never splits a link or a mention with a marker', () => {
    expect(parse('https://a.example/x_y_z')).to.deep.equal([
      { t: 'link', v: 'https://a.example/x_y_z', href: 'https://a.example/x_y_z' },
    ]);
    expect(parse('_see https://a.example/x_y_')).to.deep.equal([
      text('_see '),
      { t: 'link', v: 'https://a.example/x_y_', href: 'https://a.example/x_y_' },
    ]);
    expect(parse('<@g_a_b_>')).to.deep.equal([{ t: 'mention', id: 'g_a_b_', raw: '<@g_a_b_>' }]);
  });

  it('makes links of http(s) URLs only: javascript:, data: and HTML stay text', () => {
    for (const literal of [
      'javascript:alert(1)',
      'JaVaScRiPt:alert(1)',
      'data:text/html,<script>alert(1)</script>',
      '<a href="javascript:alert(1)">x</a>',
      '<script>alert(1)</script>',
      '<img src=x onerror=alert(1)>',
      '[x](javascript:alert(1))',
      '<@not-a-user>',
    ]) {
      expect(parse(literal), literal).to.deep.equal([text(literal)]);
    }
  });

  it('answers hostile input quickly: linear work, whatever the markers', () => {
    // 25 times the longest message: quadratic work would take seconds here.
    const size = 50_000;
    const inputs = [
      '**'.repeat(size / 2),
      '*'.repeat(size),
      '_a'.repeat(size / 2),
      'a_'.repeat(size / 2),
      '_'.repeat(size),
      '`'.repeat(size),
      '```'.repeat(size / 3),
      '** _ ` '.repeat(size / 7),
      '**a '.repeat(size / 4),
      '<@g_a'.repeat(size / 5),
      '<@g_a>_'.repeat(size / 7),
      'https://a.example/_ '.repeat(size / 20),
      `**${'https://a.example/ '.repeat(size / 19)}`,
      '\n'.repeat(size),
    ];
    for (const input of inputs) {
      const started = performance.now();
      const tokens = parse(input);
      const took = performance.now() - started;
      expect(took, `${input.slice(0, 12)}… took ${took.toFixed(1)} ms`).to.be.below(500);
      // Nothing is lost: the text comes back whole.
      expect(plainText(tokens, (_, raw) => raw).length).to.be.at.most(input.length);
    }
  });

  it('gives plain text without markers, mentions by name', () => {
    const names: Record<string, string> = { g_a: '@Ann' };
    expect(plainText(parse('**hi** _<@g_a> too_ `x` <@g_zz>'), (id, raw) => names[id] ?? raw)).to.equal('hi @Ann too x <@g_zz>');
  });
});
