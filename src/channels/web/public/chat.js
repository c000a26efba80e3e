/*
 * The page script: Microsoft Web Chat on this server's local Direct Line. A file of its own, not an
 * inline script, so the page's Content-Security-Policy can allow only this server's scripts.
 */
(() => {
  'use strict';

  /* Web Chat tags the <style> elements it adds with this nonce, which the page's CSP allows. */
  const { nonce } = document.currentScript;

  /* The two themes of chat.css; every pair of text and background meets WCAG AA contrast. */
  const THEMES = {
    light: { accent: '#0e6e7a', background: '#ffffff', bubble: '#eef2f5', text: '#1b1f23', muted: '#4f5b64', border: '#d7dee4', user: '#5b6770' },
    dark: { accent: '#0b5560', background: '#1a2126', bubble: '#26313a', text: '#e6ebef', muted: '#a9b6bf', border: '#33404a', user: '#5b6770' },
  };

  function styleOptionsFor(theme) {
    return {
      accent: theme.accent,
      primaryFont: 'system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif',
      backgroundColor: theme.background,
      bubbleBackground: theme.bubble,
      bubbleTextColor: theme.text,
      bubbleBorderRadius: 10,
      bubbleBorderWidth: 0,
      bubbleFromUserBackground: theme.accent,
      bubbleFromUserTextColor: '#ffffff',
      bubbleFromUserBorderRadius: 10,
      bubbleFromUserBorderWidth: 0,
      bubbleMaxWidth: 640,
      botAvatarInitials: 'A',
      botAvatarBackgroundColor: theme.accent,
      userAvatarInitials: 'You',
      userAvatarBackgroundColor: theme.user,
      suggestedActionLayout: 'flow',
      suggestedActionHeight: 32,
      suggestedActionBorderRadius: 16,
      suggestedActionBackgroundColor: theme.background,
      suggestedActionTextColor: theme.text,
      suggestedActionBorderColor: theme.accent,
      hideUploadButton: true,
      sendBoxBackground: theme.background,
      sendBoxTextColor: theme.text,
      sendBoxButtonColor: theme.muted,
      sendBoxTextWrap: true,
      sendBoxBorderTop: `solid 1px ${theme.border}`,
      sendBoxPlaceholderColor: theme.muted,
      timestampColor: theme.muted,
      // The connecting status ("Connecting…", "Taking longer than usual"): Web Chat's own grey is too faint on the dark theme.
      notificationText: theme.muted,
      transcriptVisualKeyboardIndicatorColor: theme.text,
      rootHeight: '100%',
    };
  }

  /*
   * The server holds each poll until there is news, so polls are cheap; the polling interval only
   * spaces a poll from the previous answer, so keep it short (Direct Line's lower bound).
   */
  const directLine = window.WebChat.createDirectLine({ domain: `${location.origin}/directline`, webSocket: false, pollingInterval: 200 });

  /* Screen readers announce each reply as "<name> said"; name the assistant rather than spell its avatar initials. */
  const overrideLocalizedStrings = { ACTIVITY_BOT_SAID_ALT: 'The assistant said:' };
  const darkScheme = window.matchMedia('(prefers-color-scheme: dark)');

  /*
   * The replies' sources link to this server's article view by path (/article#p2s6). Web Chat opens
   * only absolute http(s) links (it turns any other into a citation button), so they get this page's origin.
   */
  const renderMarkdown = (markdown, ...options) => window.WebChat.renderMarkdown(markdown.replaceAll('](/article#', `](${location.origin}/article#`), ...options);

  /* Rendering again with the same Direct Line keeps the conversation: the theme follows the system's while chatting. */
  function render() {
    const styleOptions = styleOptionsFor(darkScheme.matches ? THEMES.dark : THEMES.light);
    window.WebChat.renderWebChat(
      { directLine, styleOptions, nonce, overrideLocalizedStrings, renderMarkdown, locale: document.documentElement.lang, role: 'main' },
      document.getElementById('webchat'),
    );
  }

  darkScheme.addEventListener('change', render);
  render();
})();
