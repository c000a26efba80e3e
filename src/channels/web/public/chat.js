/*
 * The page script: Microsoft Web Chat on this server's local Direct Line. A file of its own, not an
 * inline script, so the page's Content-Security-Policy can allow only this server's scripts.
 */
(() => {
  'use strict';

  /* Web Chat tags the <style> elements it adds with this nonce, which the page's CSP allows. */
  const { nonce } = document.currentScript;

  const accent = '#0e6e7a';

  const styleOptions = {
    accent,
    primaryFont: 'system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif',
    backgroundColor: '#ffffff',
    bubbleBackground: '#eef2f5',
    bubbleBorderRadius: 10,
    bubbleBorderWidth: 0,
    bubbleFromUserBackground: accent,
    bubbleFromUserTextColor: '#ffffff',
    bubbleFromUserBorderRadius: 10,
    bubbleFromUserBorderWidth: 0,
    bubbleMaxWidth: 640,
    botAvatarInitials: 'A',
    botAvatarBackgroundColor: accent,
    userAvatarInitials: 'You',
    userAvatarBackgroundColor: '#5b6770',
    suggestedActionLayout: 'flow',
    suggestedActionBorderRadius: 16,
    suggestedActionBackgroundColor: '#ffffff',
    suggestedActionTextColor: accent,
    suggestedActionBorderColor: accent,
    hideUploadButton: true,
    sendBoxTextWrap: true,
    sendBoxBorderTop: 'solid 1px #d7dee4',
    sendBoxPlaceholderColor: '#5b6770',
    timestampColor: '#5b6770',
    rootHeight: '100%',
  };

  /*
   * The server holds each poll until there is news, so polls are cheap; the polling interval only
   * spaces a poll from the previous answer, so keep it short (Direct Line's lower bound).
   */
  const directLine = window.WebChat.createDirectLine({ domain: `${location.origin}/directline`, webSocket: false, pollingInterval: 200 });

  /* Screen readers announce each reply as "<name> said"; name the assistant rather than spell its avatar initials. */
  const overrideLocalizedStrings = { ACTIVITY_BOT_SAID_ALT: 'The assistant said:' };

  window.WebChat.renderWebChat(
    { directLine, styleOptions, nonce, overrideLocalizedStrings, locale: document.documentElement.lang, role: 'main' },
    document.getElementById('webchat'),
  );
})();
