/** Times and day labels with the platform's Intl, cached per locale. */
const cache = new Map<string, Intl.DateTimeFormat>();

function formatter(locale: string, options: Intl.DateTimeFormatOptions): Intl.DateTimeFormat {
  const key = locale + JSON.stringify(options);
  let f = cache.get(key);
  if (!f) {
    try {
      f = new Intl.DateTimeFormat(locale || undefined, options);
    } catch {
      f = new Intl.DateTimeFormat(undefined, options);
    }
    cache.set(key, f);
  }
  return f;
}

/** "14:05" / "2:05 PM" in the page's locale. */
export function formatTime(at: number, locale: string): string {
  return formatter(locale, { hour: 'numeric', minute: '2-digit' }).format(at);
}

/** A local calendar-day key: messages with the same key share a day separator. */
export function dayKey(at: number): string {
  const d = new Date(at);
  return `${d.getFullYear()}-${d.getMonth()}-${d.getDate()}`;
}

/** "today" / "yesterday" / a medium date. */
export function dayLabel(at: number, locale: string, now = Date.now()): 'today' | 'yesterday' | string {
  if (dayKey(at) === dayKey(now)) return 'today';
  const y = new Date(now);
  y.setDate(y.getDate() - 1);
  if (dayKey(at) === dayKey(y.getTime())) return 'yesterday';
  return formatter(locale, { dateStyle: 'medium' }).format(at);
}
