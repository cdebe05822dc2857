// ccmon serve: the wallboard page. Everything from the server is shown with textContent
// (never as HTML): a name holding <script> shows those characters.
"use strict";

(function () {
  const params = new URLSearchParams(window.location.search);
  const token = params.get("token");
  const rotateS = Number(params.get("rotate")) || 0;
  let flashMs = 3000; // how long a change stays highlighted: the board says (ui.flash_s)
  const RELOAD_AFTER_MS = 60000; // nothing for this long: reload (a frozen TV needs a ladder)
  const STALE_AFTER_MS = 5000; // no board for this long: say the numbers may be old
  const RETRY_MS = 2000;
  const TILES = 7; // the floor page's, on four columns; the other pages show six on three

  let pageIndex = Math.max(0, Number(params.get("page")) || 0);
  let board = null;
  let receivedAt = performance.now();
  let source = null;
  const previous = new Map(); // "page/label" -> value, for the change highlight
  const flashUntil = new Map();

  const theme = params.get("theme");
  if (theme) {
    document.getElementById("theme").href =
      "/static/theme.css?name=" + encodeURIComponent(theme);
  }

  function withToken(path) {
    return token ? path + "?token=" + encodeURIComponent(token) : path;
  }

  const tilesBox = document.getElementById("tiles");
  const tiles = [];
  for (let i = 0; i < TILES; i++) {
    const tile = document.createElement("section");
    tile.className = "tile blank";
    const label = document.createElement("div");
    label.className = "label";
    const value = document.createElement("div");
    value.className = "value";
    const level = document.createElement("div");
    level.className = "level";
    tile.append(label, value, level);
    tilesBox.append(tile);
    tiles.push({ tile, label, value, level });
  }

  function duration(seconds) {
    const s = Math.max(0, Math.round(seconds));
    if (s < 60) return s + "s";
    if (s < 3600) return Math.floor(s / 60) + "m" + String(s % 60).padStart(2, "0") + "s";
    return Math.floor(s / 3600) + "h" + String(Math.floor((s % 3600) / 60)).padStart(2, "0") + "m";
  }

  function render() {
    if (!board) return;
    const pages = board.pages;
    pageIndex = pageIndex % pages.length;
    const page = pages[pageIndex];
    document.getElementById("title").textContent = page.title;
    const headline = pageIndex === 0;
    tilesBox.classList.toggle("floor", headline);
    const now = performance.now();
    // Cut off from serve: the numbers are what it last said, so none says OK or ALERT.
    const cut = now - receivedAt >= STALE_AFTER_MS;
    tiles.forEach((t, index) => {
      const content = page.tiles[index] || { label: "", value: "", level: "", word: "", note: "" };
      const key = pageIndex + "/" + content.label;
      const before = previous.get(key);
      if (before !== undefined && before !== content.value) flashUntil.set(key, now + flashMs);
      previous.set(key, content.value);
      t.label.textContent = content.label;
      t.value.textContent = content.value;
      const stale = cut && content.label && content.level !== "missing";
      const word = stale ? "STALE" : content.word;
      t.level.textContent = [content.note, word].filter(Boolean).join(" · ");
      const classes = ["tile"];
      if (stale) classes.push("stale");
      else if (content.level) classes.push(content.level);
      if (!content.label) classes.push("blank");
      if (headline && index === 0) classes.push("headline");
      if ((flashUntil.get(key) || 0) > now) classes.push("changed");
      t.tile.className = classes.join(" ");
      t.tile.hidden = !headline && index === TILES - 1;
      t.tile.dataset.label = content.label;
    });
    const banner = document.getElementById("banner");
    banner.textContent = board.banner.text;
    banner.className = board.banner.level;
    banner.hidden = board.banner.level === "ok";
    const footer = document.getElementById("sources");
    footer.replaceChildren(
      ...board.sources.map((s) => {
        const item = document.createElement("span");
        item.className = s.level;
        item.textContent = s.symbol + " " + s.name.toUpperCase() + " " + s.health.toUpperCase();
        return item;
      })
    );
  }

  function showStale() {
    const silentMs = performance.now() - receivedAt;
    const stale = document.getElementById("stale");
    if (silentMs < STALE_AFTER_MS) {
      stale.hidden = true;
      return;
    }
    const age = (board && board.age_s != null ? board.age_s : 0) + silentMs / 1000;
    stale.textContent =
      "STALE · no connection to ccmon serve · data " + duration(age) + " old · reconnecting";
    stale.hidden = false;
  }

  function connect() {
    if (source) source.close();
    source = new EventSource(withToken("/api/board/events"));
    source.addEventListener("board", (event) => {
      board = JSON.parse(event.data);
      if (typeof board.flash_s === "number") flashMs = board.flash_s * 1000;
      receivedAt = performance.now();
      showStale();
      render();
    });
    source.onerror = () => {
      // A network blip or a restart: the browser retries by itself while the stream is
      // CONNECTING; an answer that is not a stream closes it, so try again ourselves.
      if (source.readyState === EventSource.CLOSED) setTimeout(connect, RETRY_MS);
    };
  }

  async function reloadIfServed() {
    // Reload only when the server answers: reloading while it is down would leave the TV
    // on the browser's error page, with nothing to bring it back.
    try {
      const answer = await fetch(withToken("/api/board"), { cache: "no-store" });
      if (answer.ok) window.location.reload();
    } catch (_) {
      /* still down: keep the page, its stale banner and its retries */
    }
  }

  setInterval(() => {
    showStale();
    render(); // the change highlight fades
    if (performance.now() - receivedAt > RELOAD_AFTER_MS) {
      receivedAt = performance.now() - RELOAD_AFTER_MS / 2; // probe every 30 s
      reloadIfServed();
    }
  }, 1000);
  if (rotateS > 0) {
    setInterval(() => {
      pageIndex += 1;
      render();
    }, rotateS * 1000);
  }
  connect();
})();
