/** What the chat view reads of its `<chat-room>`: the element's settings (widget/chat-room.ts). */
export interface ViewSettings extends HTMLElement {
  server: string;
  site: string;
  room: string;
  nickname: string | undefined;
  userToken: string | undefined;
  theme: 'light' | 'dark' | 'auto';
}
