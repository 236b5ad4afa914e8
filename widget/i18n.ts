/**
 * UI strings in English and Simplified Chinese. `t(lang, key, params)` picks
 * the closest language and fills `{name}` placeholders.
 */
const en = {
  online: 'Online',
  connecting: 'Connecting…',
  reconnecting: 'Reconnecting…',
  disconnected: 'Disconnected',
  onlineCount: '{count} online',
  members: 'People in {room}',
  rename: 'Change your name',
  save: 'Save',
  cancel: 'Cancel',
  messagesLabel: 'Messages in {room}',
  loadOlder: 'Load earlier messages',
  empty: 'No messages yet. Say hello!',
  newMessages: 'New messages',
  today: 'Today',
  yesterday: 'Yesterday',
  joined: '{name} joined',
  left: '{name} left',
  renamed: '{old} is now {name}',
  typing1: '{a} is typing…',
  typing2: '{a} and {b} are typing…',
  typingMany: 'Several people are typing…',
  sending: 'Sending…',
  queued: 'Waiting for the connection…',
  sent: 'Sent',
  unreadDivider: 'New messages',
  rtt: 'Connected, round trip {ms} ms',
  newCount: '{count} new',
  queueHint: 'Messages you write now are sent once the connection is back.',
  failed: 'Not sent',
  deleted: 'Message deleted',
  delete: 'Delete',
  mute: 'Mute 15 min',
  ban: 'Ban 1 day',
  retry: 'Retry',
  discard: 'Discard',
  showMore: 'Show more',
  showLess: 'Show less',
  placeholder: 'Write a message…',
  send: 'Send',
  connect: 'Connect',
  dmTitle: 'Private chat with {name}',
  signedIn: 'Signed in',
  back: 'Back to {room}',
  tooLong: '{length}/{max} characters: too long to send',
  reasonOffline: 'You are offline.',
  unreachable: "Can't reach the chat server.",
  lastKnown: 'last known',
  unknown_site: 'This chat is not set up: unknown site “{site}”.',
  origin_not_allowed: 'This page is not allowed to use this chat.',
  invalid_room: 'Invalid room name “{room}”.',
  too_many_rooms: 'Too many chat rooms are open on this page.',
  message_too_long: 'The message is too long.',
  invalid_nickname: 'Names must be 2–32 letters, digits or spaces.',
  nickname_taken: 'That name is already taken.',
  rate_limited: 'You are sending too fast. Please wait a moment.',
  internal_error: 'The chat server had a problem. Please try again.',
  not_connected: 'Not connected to the chat.',
  timeout: 'The chat server did not answer in time.',
  muted: 'You are muted here for now.',
  banned: 'You are banned from this chat.',
  read_only: 'Only moderators can post in this room.',
  room_not_allowed: 'You may not join this room.',
  forbidden: 'You are not allowed to do that.',
  token_invalid: 'Your sign-in is not valid here.',
  token_expired: 'Your sign-in has expired. Please reload.',
  token_wrong_site: 'Your sign-in is for another site.',
  credentials_revoked: 'Your sign-in is no longer valid. Please reload.',
  notifyRoom: '{name} in {room}',
  notifyDirect: '{name} (private message)',
};

export type MessageKey = keyof typeof en;

const zh: Record<MessageKey, string> = {
  online: '在线',
  connecting: '正在连接…',
  reconnecting: '正在重新连接…',
  disconnected: '已断开',
  onlineCount: '{count} 人在线',
  members: '{room} 的成员',
  rename: '修改昵称',
  save: '保存',
  cancel: '取消',
  messagesLabel: '{room} 中的消息',
  loadOlder: '加载更早的消息',
  empty: '还没有消息，打个招呼吧！',
  newMessages: '有新消息',
  today: '今天',
  yesterday: '昨天',
  joined: '{name} 加入了',
  left: '{name} 离开了',
  renamed: '{old} 改名为 {name}',
  typing1: '{a} 正在输入…',
  typing2: '{a} 和 {b} 正在输入…',
  typingMany: '多人正在输入…',
  sending: '发送中…',
  queued: '等待连接…',
  sent: '已发送',
  unreadDivider: '新消息',
  rtt: '已连接，往返 {ms} 毫秒',
  newCount: '{count} 条新消息',
  queueHint: '现在写的消息会在连接恢复后发送。',
  failed: '发送失败',
  deleted: '消息已删除',
  delete: '删除',
  mute: '禁言 15 分钟',
  ban: '封禁 1 天',
  retry: '重试',
  discard: '放弃',
  showMore: '显示更多',
  showLess: '收起',
  placeholder: '输入消息…',
  send: '发送',
  connect: '连接',
  dmTitle: '与 {name} 的私聊',
  signedIn: '已登录',
  back: '返回 {room}',
  tooLong: '{length}/{max} 个字符：太长，无法发送',
  reasonOffline: '你已离线。',
  unreachable: '无法连接到聊天服务器。',
  lastKnown: '最后已知',
  unknown_site: '聊天未配置：未知站点“{site}”。',
  origin_not_allowed: '此页面无权使用该聊天。',
  invalid_room: '无效的房间名“{room}”。',
  too_many_rooms: '此页面打开的聊天室过多。',
  message_too_long: '消息太长。',
  invalid_nickname: '昵称须为 2–32 个字母、数字或空格。',
  nickname_taken: '该昵称已被使用。',
  rate_limited: '发送太快了，请稍候。',
  internal_error: '聊天服务器出错，请重试。',
  not_connected: '未连接到聊天服务器。',
  timeout: '聊天服务器未及时响应。',
  muted: '你暂时被禁言。',
  banned: '你已被禁止使用此聊天。',
  read_only: '只有管理员可以在此房间发言。',
  room_not_allowed: '你不能加入此房间。',
  forbidden: '你无权执行此操作。',
  token_invalid: '你的登录凭证在此无效。',
  token_expired: '你的登录已过期，请刷新页面。',
  token_wrong_site: '你的登录凭证属于其他站点。',
  credentials_revoked: '你的登录凭证已失效，请刷新页面。',
  notifyRoom: '{name}（{room}）',
  notifyDirect: '{name}（私聊）',
};

const catalogs = { en, zh } as const;
export type UiLanguage = keyof typeof catalogs;

/** Maps a BCP 47 tag to a supported UI language (`zh`, `zh-CN`, `zh-Hans-SG` → `zh`; anything else → `en`). */
export function uiLanguage(tag: string | null | undefined): UiLanguage {
  return /^zh\b/i.test(tag ?? '') ? 'zh' : 'en';
}

/** The string for `key`, with `{param}` placeholders filled. */
export function t(lang: string, key: MessageKey, params?: Record<string, string | number>): string {
  const text = catalogs[uiLanguage(lang)][key] ?? en[key];
  return params ? text.replace(/\{(\w+)\}/g, (m, p: string) => (p in params ? String(params[p]) : m)) : text;
}

/** True when a string is a known message key (used to translate error codes). */
export function hasMessage(key: string): key is MessageKey {
  return key in en;
}

/**
 * The language of an element: its own `lang`, else the closest ancestor's
 * (crossing shadow roots), else `<html lang>`, else the browser's.
 */
export function resolveLang(el: Element): string {
  let node: Node | null = el;
  while (node) {
    if (node instanceof Element && node.getAttribute('lang')) return node.getAttribute('lang')!;
    node = node.parentNode ?? (node instanceof ShadowRoot ? node.host : null);
  }
  return navigator.language || 'en';
}
