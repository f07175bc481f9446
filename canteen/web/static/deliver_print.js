/* The printed run list: its one button prints the page (the CSP allows no inline handler). */
document.getElementById("print").addEventListener("click", () => window.print());
