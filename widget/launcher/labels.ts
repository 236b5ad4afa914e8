/** The launcher's few texts (the chat's catalogues in widget/i18n.ts load with the chat, later). */
import type { LauncherLabel } from './launcher.js';

const labels: Record<'en' | 'zh', Record<LauncherLabel, string>> = {
  en: { open: 'Open chat', close: 'Close chat', unread: 'Open chat, {count} unread', dialog: 'Chat' },
  zh: { open: '打开聊天', close: '关闭聊天', unread: '打开聊天，{count} 条未读', dialog: '聊天' },
};

export function launcherLabel(lang: string, key: LauncherLabel, count = ''): string {
  return labels[/^zh\b/i.test(lang) ? 'zh' : 'en'][key].replace('{count}', count);
}
