/**
 * `chat-room-server site …`: manages the site registry in the data
 * directory's database directly (no running server needed; a running server
 * sees the change within a few seconds).
 */
import { parseArgs } from 'node:util';
import { SITE_ID_PATTERN } from '../protocol/index.js';
import { isOriginPattern } from './security/origin.js';
import { EDIT_WINDOW_MAX_MINUTES, SiteRegistry, UPLOAD_MAX_BYTES_LIMIT, UPLOAD_MAX_PIXELS_LIMIT, UPLOAD_QUOTA_LIMIT } from './services/sites.js';
import { PostgresStore } from './storage/postgres-store.js';
import { SqliteStore } from './storage/sqlite-store.js';
import { ROOM_POLICIES } from './storage/store.js';
import type { RoomPolicy, Site } from './storage/store.js';
import { roomName } from './validate.js';

export const SITE_HELP = `Usage: chat-room-server site <command> [options]

Commands:
  add <id> --name <name> --origin <origin> [--origin <origin> …]
                        Register a site; prints its secret and the embed snippet
      --allow-no-origin         Accept connections without an Origin (native apps)
      --room-policy <policy>    ${ROOM_POLICIES.join(' | ')} (default open)
      --room <name>             A room of the allow-list policy (repeatable)
      --read-only-room <name>   A room where only moderators post (repeatable)
      --retention-days <n>      Keep messages this many days
      --rate-limit-scale <x>    The server's rate limits times x for this site's visitors
      --edit-window-minutes <n> How long authors may edit a message (default 15; 0: never)
      --upload-max-bytes <n>    Bytes of one uploaded image (default 10485760)
      --upload-max-pixels <n>   Pixels (width x height, every frame) of one image (default 40000000)
      --upload-quota-bytes <n>  Bytes of all the site's stored images (default 1073741824; 0: no uploads)
      --public-url <url>        The server's public URL for the snippet
                                (CHAT_ROOM_PUBLIC_URL, default http://localhost:8080)
  list                  List the sites
  show <id>             Show one site's settings (not its secret)
  remove <id>           Remove a site with all its users, messages and bans
  rotate-secret <id>    Replace a site's secret and print the new one

Options of every command:
  --data-dir <path>     Where the SQLite database lives (CHAT_ROOM_DATA_DIR, default ./data)
  --database-url <url>  Manage the sites of a PostgreSQL deployment instead (DATABASE_URL)
  --db-schema <name>    Its schema (CHAT_ROOM_DB_SCHEMA)
  --json                Print JSON instead of text
`;

/** A mistake in the command line: printed with the help, exit code 2. */
export class SiteUsageError extends Error {}

type Print = (text: string) => void;

/** Runs one site command; answers the exit code. Results go to `print`, refusals to `printError`. */
export async function runSiteCommand(args: string[], print: Print, printError: Print): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    strict: true,
    options: {
      name: { type: 'string' },
      origin: { type: 'string', multiple: true },
      'allow-no-origin': { type: 'boolean' },
      'room-policy': { type: 'string' },
      room: { type: 'string', multiple: true },
      'read-only-room': { type: 'string', multiple: true },
      'retention-days': { type: 'string' },
      'rate-limit-scale': { type: 'string' },
      'edit-window-minutes': { type: 'string' },
      'upload-max-bytes': { type: 'string' },
      'upload-max-pixels': { type: 'string' },
      'upload-quota-bytes': { type: 'string' },
      'public-url': { type: 'string' },
      'data-dir': { type: 'string' },
      'database-url': { type: 'string' },
      'db-schema': { type: 'string' },
      json: { type: 'boolean' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  const [command, id, ...extra] = positionals;
  if (values.help || command === undefined) {
    print(SITE_HELP);
    return 0;
  }
  if (extra.length > 0) throw new SiteUsageError(`unexpected arguments: ${extra.join(' ')}`);
  const needsId = (): string => {
    if (id === undefined || !SITE_ID_PATTERN.test(id)) throw new SiteUsageError(`${command} needs a site id (a-z 0-9 -, up to 32)`);
    return id;
  };
  const json = values.json ?? false;
  const env = process.env;
  const databaseUrl = values['database-url'] ?? (env.DATABASE_URL || undefined);
  const schema = values['db-schema'] ?? (env.CHAT_ROOM_DB_SCHEMA || undefined);
  const store = databaseUrl
    ? await PostgresStore.open({ connectionString: databaseUrl, ...(schema ? { schema } : {}) })
    : SqliteStore.open(values['data-dir'] ?? env.CHAT_ROOM_DATA_DIR ?? './data');
  const sites = new SiteRegistry(store);
  try {
    switch (command) {
      case 'add': {
        const siteId = needsId();
        const name = values.name?.trim();
        if (!name) throw new SiteUsageError('add needs --name');
        const origins = values.origin ?? [];
        for (const origin of origins) if (!isOriginPattern(origin)) throw new SiteUsageError(`not an origin: ${origin}`);
        if (origins.length === 0 && !values['allow-no-origin']) throw new SiteUsageError('add needs at least one --origin');
        const roomPolicy = values['room-policy'] ?? 'open';
        if (!(ROOM_POLICIES as readonly string[]).includes(roomPolicy)) throw new SiteUsageError(`--room-policy must be one of ${ROOM_POLICIES.join(', ')}`);
        const rooms = roomList(values.room, '--room');
        const readOnlyRooms = roomList(values['read-only-room'], '--read-only-room');
        const retention = values['retention-days'];
        const retentionDays = retention === undefined ? undefined : Number(retention);
        if (retentionDays !== undefined && !(Number.isSafeInteger(retentionDays) && retentionDays > 0)) {
          throw new SiteUsageError('--retention-days must be a whole number of days');
        }
        const scale = values['rate-limit-scale'];
        const rateLimitScale = scale === undefined ? undefined : Number(scale);
        if (rateLimitScale !== undefined && !(rateLimitScale >= 0.01 && rateLimitScale <= 10_000)) {
          throw new SiteUsageError('--rate-limit-scale must be a number from 0.01 to 10000');
        }
        const window = values['edit-window-minutes'];
        const editWindowMinutes = window === undefined ? undefined : Number(window);
        if (editWindowMinutes !== undefined && !(Number.isSafeInteger(editWindowMinutes) && editWindowMinutes >= 0 && editWindowMinutes <= EDIT_WINDOW_MAX_MINUTES)) {
          throw new SiteUsageError(`--edit-window-minutes must be a whole number of minutes from 0 to ${EDIT_WINDOW_MAX_MINUTES}`);
        }
        const whole = (flag: 'upload-max-bytes' | 'upload-max-pixels' | 'upload-quota-bytes', min: number, max: number): number | undefined => {
          const value = values[flag];
          if (value === undefined) return undefined;
          const n = Number(value);
          if (!(Number.isSafeInteger(n) && n >= min && n <= max)) throw new SiteUsageError(`--${flag} must be a whole number from ${min} to ${max}`);
          return n;
        };
        const uploadMaxBytes = whole('upload-max-bytes', 1024, UPLOAD_MAX_BYTES_LIMIT);
        const uploadMaxPixels = whole('upload-max-pixels', 1, UPLOAD_MAX_PIXELS_LIMIT);
        const uploadQuotaBytes = whole('upload-quota-bytes', 0, UPLOAD_QUOTA_LIMIT);
        const site = await sites.create({
          id: siteId,
          name,
          origins,
          allowNoOrigin: values['allow-no-origin'] ?? false,
          roomPolicy: roomPolicy as RoomPolicy,
          rooms,
          readOnlyRooms,
          ...(retentionDays === undefined ? {} : { retentionDays }),
          ...(rateLimitScale === undefined ? {} : { rateLimitScale }),
          ...(editWindowMinutes === undefined ? {} : { editWindowMinutes }),
          ...(uploadMaxBytes === undefined ? {} : { uploadMaxBytes }),
          ...(uploadMaxPixels === undefined ? {} : { uploadMaxPixels }),
          ...(uploadQuotaBytes === undefined ? {} : { uploadQuotaBytes }),
        });
        if (!site) {
          printError(`chat-room-server: a site "${siteId}" exists already\n`);
          return 1;
        }
        const publicUrl = (values['public-url'] ?? process.env.CHAT_ROOM_PUBLIC_URL ?? 'http://localhost:8080').replace(/\/+$/, '');
        const snippet = embedSnippet(publicUrl, site);
        if (json) print(JSON.stringify({ site: withoutIdKey(site), snippet }, null, 2) + '\n');
        else {
          print(
            `Site "${site.id}" (${site.name}) created.\n\n` +
              `Secret — keep it on your servers only; it signs identity tokens and authorises the admin API:\n  ${site.secret}\n\n` +
              `Embed the chat on your pages:\n${snippet.replace(/^/gm, '  ')}\n`,
          );
        }
        return 0;
      }
      case 'list': {
        const all = (await sites.list()).map(withoutSecret);
        if (json) print(JSON.stringify({ sites: all }, null, 2) + '\n');
        else for (const site of all) print(`${site.id}\t${site.name}\t${site.roomPolicy}\t${site.origins.join(' ')}\n`);
        return 0;
      }
      case 'show': {
        const site = await sites.get(needsId());
        if (!site) return notFound(printError, id!);
        const shown = withoutSecret(site);
        if (json) print(JSON.stringify({ site: shown }, null, 2) + '\n');
        else for (const [key, value] of Object.entries(shown)) print(`${key}: ${Array.isArray(value) ? value.join(' ') : String(value)}\n`);
        return 0;
      }
      case 'remove': {
        if (!(await sites.remove(needsId()))) return notFound(printError, id!);
        print(json ? JSON.stringify({ removed: id }) + '\n' : `Site "${id}" removed with all its data.\n`);
        return 0;
      }
      case 'rotate-secret': {
        const site = await sites.rotateSecret(needsId());
        if (!site) return notFound(printError, id!);
        print(json ? JSON.stringify({ site: withoutIdKey(site) }, null, 2) + '\n' : `New secret of "${site.id}" (the old one no longer works):\n  ${site.secret}\n`);
        return 0;
      }
      default:
        throw new SiteUsageError(`unknown site command "${command}"`);
    }
  } finally {
    await store.close();
  }
}

/** What a site owner pastes into their pages. */
export function embedSnippet(publicUrl: string, site: Site): string {
  const room = site.roomPolicy === 'allow-list' && site.rooms[0] !== undefined ? site.rooms[0] : 'lobby';
  return `<script src="${publicUrl}/chat-room.js"></script>\n<chat-room server="${publicUrl}" site="${site.id}" room="${room}"></chat-room>`;
}

function withoutSecret({ secret: _secret, ...site }: Site): Omit<Site, 'secret' | 'idKey'> {
  return withoutIdKey(site);
}

/** The id key never leaves the server: with it one could compute the id of a `sub`. */
function withoutIdKey<T extends { idKey: string }>({ idKey: _idKey, ...site }: T): Omit<T, 'idKey'> {
  return site;
}

function notFound(print: Print, id: string): number {
  print(`chat-room-server: no site "${id}"\n`);
  return 1;
}

/** The rooms as stored (NFC); refused when one is not a valid room name. */
function roomList(rooms: string[] | undefined, flag: string): string[] {
  return (rooms ?? []).map((raw) => {
    const room = roomName(raw);
    if (room === undefined) throw new SiteUsageError(`${flag}: not a valid room name: ${raw}`);
    return room;
  });
}
