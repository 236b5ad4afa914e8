/** The words of notices and the typing line (widget/views/activity.ts), in English and Chinese. */
import { expect } from '@esm-bundle/chai';
import type { UserInfo } from '../../protocol/index.js';
import { noticeText, typingText } from '../../widget/views/activity.js';

const user = (id: string, name: string): UserInfo => ({ id, name, kind: 'guest' });
const alice = user('a', 'Alice');
const bob = user('b', 'Bob');
const me = user('m', 'Me');

describe('activity texts', () => {
  it('names one person joining or leaving, and a rename', () => {
    expect(noticeText({ kind: 'join', user: alice, at: 0 }, 'en')).to.equal('Alice joined');
    expect(noticeText({ kind: 'leave', user: alice, at: 0 }, 'en')).to.equal('Alice left');
    expect(noticeText({ room: 'r', kind: 'rename', user: alice, previousName: 'Bob', at: 0 }, 'en')).to.equal('Bob is now Alice');
    expect(noticeText({ kind: 'join', user: alice, at: 0 }, 'zh-CN')).to.equal('Alice 加入了');
  });

  it('summarises a moment of joins and leaves on one line', () => {
    expect(noticeText({ kind: 'summary', joined: 12, left: 0, at: 0 }, 'en')).to.equal('12 people joined');
    expect(noticeText({ kind: 'summary', joined: 0, left: 3, at: 0 }, 'en')).to.equal('3 people left');
    expect(noticeText({ kind: 'summary', joined: 12, left: 3, at: 0 }, 'en')).to.equal('12 people joined, 3 people left');
    expect(noticeText({ kind: 'summary', joined: 1, left: 1, at: 0 }, 'en')).to.equal('Someone joined, Someone left');
    expect(noticeText({ kind: 'summary', joined: 12, left: 3, at: 0 }, 'zh')).to.equal('12 人加入了，3 人离开了');
  });

  it('says who is typing, never the viewer, and "several" beyond two or without names', () => {
    expect(typingText({ count: 0, users: [] }, 'en', me.id)).to.equal('');
    expect(typingText({ count: 1, users: [alice] }, 'en', me.id)).to.equal('Alice is typing…');
    expect(typingText({ count: 2, users: [alice, bob] }, 'en', me.id)).to.equal('Alice and Bob are typing…');
    expect(typingText({ count: 3, users: [alice, bob, user('c', 'Carol')] }, 'en', me.id)).to.equal('Several people are typing…');
    expect(typingText({ count: 40, users: [alice, bob, me] }, 'en', me.id)).to.equal('Several people are typing…');
    expect(typingText({ count: 2, users: [alice, me] }, 'en', me.id)).to.equal('Alice is typing…');
    expect(typingText({ count: 1, users: [me] }, 'en', me.id)).to.equal('');
    expect(typingText({ count: 2, users: [alice, bob] }, 'zh', me.id)).to.equal('Alice 和 Bob 正在输入…');
  });
});
