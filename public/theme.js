// Applies the reader's saved theme before the first paint, so a dark choice never flashes light. A file, not
// inline: the CSP allows no inline script. Same key and values as hooks/use-theme.ts.
try {
  var theme = localStorage.getItem('chatroom-theme');
  if (theme === 'light' || theme === 'dark') document.documentElement.dataset.theme = theme;
} catch (e) {
  // Storage blocked: follow the system.
}
