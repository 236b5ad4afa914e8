/**
 * The words of rich messages (actions, reactions, quotes, the author card)
 * and of the jump to new messages (views/jump.ts),
 * in every UI language. They load with the rich renderers (views/rich.ts),
 * not with the first render, as views/activity.ts's do.
 */
import { fill } from '../i18n.js';
import { uiLanguage, type UiLanguage } from '../lang.js';

const en = {
  reply: 'Reply',
  react: 'Add reaction',
  edit: 'Edit',
  delete: 'Delete',
  actions: 'Message actions',
  moreEmoji: 'More emoji',
  reactions: 'Reactions',
  reactedBy: '{emoji} {count}: {names}',
  andMore: '{names} and {count} more',
  edited: 'edited',
  editedAt: 'Edited {time}',
  deletedMessage: 'Deleted message',
  quoteOf: 'Reply to {name}: {text}',
  deletedUser: 'deleted user',
  privateMessage: 'Private message',
  block: 'Block',
  close: 'Close',
  guest: 'Guest',
  signedIn: 'Signed in',
  moderator: 'Moderator',
  you: 'You',
  newMessages: 'New messages',
  newCount: '{count} new',
  image: 'Image',
  openImage: 'Open image: {alt}',
  attach: 'Attach an image',
  uploading: 'Uploading image… {percent}%',
  cancelUpload: 'Cancel upload',
};

type Key = keyof typeof en;

const strings: Record<UiLanguage, Record<Key, string>> = {
  en,
  zh: {
    reply: '回复',
    react: '添加表情回应',
    edit: '编辑',
    delete: '删除',
    actions: '消息操作',
    moreEmoji: '更多表情',
    reactions: '表情回应',
    reactedBy: '{emoji} {count}：{names}',
    andMore: '{names} 等另外 {count} 人',
    edited: '已编辑',
    editedAt: '编辑于 {time}',
    deletedMessage: '消息已删除',
    quoteOf: '回复 {name}：{text}',
    deletedUser: '已删除的用户',
    privateMessage: '私信',
    block: '屏蔽',
    close: '关闭',
    guest: '访客',
    signedIn: '已登录',
    moderator: '管理员',
    you: '你',
    newMessages: '有新消息',
    newCount: '{count} 条新消息',
    image: '图片',
    openImage: '查看图片：{alt}',
    attach: '添加图片',
    uploading: '正在上传图片… {percent}%',
    cancelUpload: '取消上传',
  },
};

/** The string for `key` in `lang`, `{param}` placeholders filled. */
export function say(lang: string, key: Key, params?: Record<string, string | number>): string {
  return fill(strings[uiLanguage(lang)][key], params);
}
