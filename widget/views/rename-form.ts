/** The inline rename form under the header (loaded the first time it opens). */
import { html } from 'lit/html.js';
import { t } from '../i18n.js';

export interface RenameProps {
  lang: string;
  name: string;
  error: string;
  submit(e: SubmitEvent): void;
  cancel(): void;
}

export function renderRename({ lang, name, error, submit, cancel }: RenameProps) {
  return html`<form part="rename" class="rename" @submit=${submit}>
    <label class="sr-only" for="rename-input">${t(lang, 'rename')}</label>
    <input
      id="rename-input"
      name="name"
      .value=${name}
      maxlength="32"
      autocomplete="nickname"
      enterkeyhint="done"
      aria-invalid=${error ? 'true' : 'false'}
      aria-describedby="rename-error"
    />
    <button class="button" type="submit">${t(lang, 'save')}</button>
    <button class="button plain" type="button" @click=${cancel}>${t(lang, 'cancel')}</button>
    <div id="rename-error" class="error" role="alert" ?hidden=${!error}>${error}</div>
  </form>`;
}
