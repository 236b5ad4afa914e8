/** The check before anything is posted: a muted (or banned) user or address may read but not send. */
import { ErrorCode } from '../../protocol/index.js';
import { failFor } from '../result.js';
import type { Failure } from '../result.js';
import type { HandlerContext } from './context.js';

export async function muteRefusal({ socket, services }: HandlerContext): Promise<Failure | undefined> {
  const { site, user, ip } = socket.data;
  const mute = await services.bans.find(site.id, ['ban', 'mute'], user.id, ip);
  if (!mute) return undefined;
  return failFor(ErrorCode.Muted, 'you are muted on this site', mute.until - Date.now());
}
