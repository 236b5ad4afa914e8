/**
 * Texts of the errors most visitors never meet (a site not set up, a refused image, a refused
 * sign-in, a ban, a name taken, a server that failed or did not answer), in every UI language: a chunk of its own,
 * loaded after the chat connected, or at once by the first such error.
 */
import type { UiLanguage } from './lang.js';

const en = {
  unknown_site: 'This chat is not set up: unknown site “{site}”.',
  origin_not_allowed: 'This page is not allowed to use this chat.',
  invalid_room: 'Invalid room name “{room}”.',
  too_many_rooms: 'Too many chat rooms are open on this page.',
  invalid_nickname: 'Names must be 2–32 letters, digits or spaces.',
  nickname_taken: 'That name is already taken.',
  muted: 'You are muted here for now.',
  banned: 'You are banned from this chat.',
  read_only: 'Only moderators can post in this room.',
  room_not_allowed: 'You may not join this room.',
  forbidden: 'You are not allowed to do that.',
  token_invalid: 'Your sign-in is not valid here.',
  token_expired: 'Your sign-in has expired. Please reload.',
  token_wrong_site: 'Your sign-in is for another site.',
  credentials_revoked: 'Your sign-in is no longer valid. Please reload.',
  message_too_long: 'The message is too long.',
  internal_error: 'The chat server had a problem. Please try again.',
  timeout: 'The chat server did not answer in time.',
  image_invalid: 'That file is not a PNG, JPEG, WebP or GIF image.',
  image_too_large: 'That image is too large to send.',
  image_too_many_pixels: 'That image has too many pixels to send.',
  upload_quota: 'This chat has no room for more images right now.',
  ticket_invalid: 'The upload was not allowed. Please try again.',
  unknown_upload: 'That image is no longer available to send. Please upload it again.',
};

export type RareErrorCode = keyof typeof en;

export const errors: Record<UiLanguage, Record<RareErrorCode, string>> = {
  en,
  zh: {
    unknown_site: '聊天未配置：未知站点“{site}”。',
    origin_not_allowed: '此页面无权使用该聊天。',
    invalid_room: '无效的房间名“{room}”。',
    too_many_rooms: '此页面打开的聊天室过多。',
    invalid_nickname: '昵称须为 2–32 个字母、数字或空格。',
    nickname_taken: '该昵称已被使用。',
    muted: '你暂时被禁言。',
    banned: '你已被禁止使用此聊天。',
    read_only: '只有管理员可以在此房间发言。',
    room_not_allowed: '你不能加入此房间。',
    forbidden: '你无权执行此操作。',
    token_invalid: '你的登录凭证在此无效。',
    token_expired: '你的登录已过期，请刷新页面。',
    token_wrong_site: '你的登录凭证属于其他站点。',
    credentials_revoked: '你的登录凭证已失效，请刷新页面。',
    message_too_long: '消息太长。',
    internal_error: '聊天服务器出错，请重试。',
    timeout: '聊天服务器未及时响应。',
    image_invalid: '该文件不是 PNG、JPEG、WebP 或 GIF 图片。',
    image_too_large: '图片太大，无法发送。',
    image_too_many_pixels: '图片像素过多，无法发送。',
    upload_quota: '此聊天暂时无法存储更多图片。',
    ticket_invalid: '上传未被允许，请重试。',
    unknown_upload: '该图片已无法发送，请重新上传。',
  },
};
