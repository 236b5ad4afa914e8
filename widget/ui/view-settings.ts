/** What the chat view reads of its `<chat-room>`: the element's settings (widget/chat-room.ts). */
export interface ViewSettings extends HTMLElement {
  server: string;
  site: string;
  room: string;
  nickname: string | undefined;
  userToken: string | undefined;
  theme: 'light' | 'dark' | 'auto';
}

/** The element's UI language (its `lang`, else the nearest up the page, else the browser's), from the loader. */
export type LangOf = () => string;
