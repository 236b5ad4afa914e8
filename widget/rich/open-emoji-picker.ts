/**
 * Opens the full emoji picker (views/emoji-picker.ts), loading it on first
 * use: the composer's emoji button inserts what is picked, a message's
 * "add reaction" reacts with it.
 */
import type { EmojiPickerHandle, EmojiPickerOptions } from '../views/emoji-picker.js';

export type { EmojiPickerHandle, EmojiPickerOptions };

export async function openEmojiPicker(anchor: HTMLElement, onPick: (emoji: string) => void, options?: EmojiPickerOptions): Promise<EmojiPickerHandle> {
  return (await import('../views/emoji-picker.js')).openEmojiPicker(anchor, onPick, options);
}
