/* Mekaar loader: paste <script async src="https://HOST/embed.js"></script> once and put
   <div data-mekaar="support" data-community="..." data-initiative="..."></div> anywhere.
   It finds every placeholder (also ones added later), loads the wasm of each widget family
   the page shows once, and mounts each placeholder exactly once. No user-facing strings
   live here: when loading fails, the placeholder keeps its own fallback content and gets
   data-mekaar-state="failed" (or, when the host's policy blocks our wasm, a frame).
   scripts/build-pkg fills in the hashed file names and strips comments and indentation;
   keep comments on lines of their own. */
(function () {
  var d = document;
  var s = d.currentScript;
  if (!s || !s.src) {
    var all = d.querySelectorAll('script[src*="embed.js"]');
    s = all[all.length - 1];
  }
  if (!s) return;
  // The API base and pkg/ both hang off the loader's own directory.
  var base = new URL(".", s.src).href;
  var origin = new URL(base).origin;
  var STATE = "data-mekaar-state";
  var glue = {}, framed;
  // Each widget family is its own wasm: a page loads only the families it shows.
  var FILES = {
    initiatives: ["__MEKAAR_INITIATIVES_JS__", "__MEKAAR_INITIATIVES_WASM__"],
    polls: ["__MEKAAR_POLLS_JS__", "__MEKAAR_POLLS_WASM__"],
    discussions: ["__MEKAAR_DISCUSSIONS_JS__", "__MEKAAR_DISCUSSIONS_WASM__"],
    meetings: ["__MEKAAR_MEETINGS_JS__", "__MEKAAR_MEETINGS_WASM__"]
  };
  var KINDS = { poll: "polls", discussion: "discussions", agenda: "meetings", meetings: "meetings", steps: "meetings" };
  function family(el) {
    return KINDS[el.getAttribute("data-mekaar")] || "initiatives";
  }
  // Inside our own frame page (/embed/...): tell the host page how tall the widget is, so
  // its frame can grow to it (the host's loader, or the iframe snippet's few lines, listen).
  if (d.documentElement.hasAttribute("data-mekaar-frame") && window.parent !== window && window.ResizeObserver) {
    new ResizeObserver(function () {
      window.parent.postMessage({ mekaar: "height", height: Math.ceil(d.documentElement.getBoundingClientRect().height), title: d.title }, "*");
    }).observe(d.documentElement);
  }
  // The host's Content-Security-Policy may forbid compiling our wasm (no 'wasm-unsafe-eval')
  // or loading our module: then every placeholder becomes a frame of the same widget on
  // our server, which has its own policy.
  function frame(el) {
    var f = d.createElement("iframe"), q = "?", a = el.attributes;
    for (var i = 0; i < a.length; i++) {
      var n = a[i].name;
      if (n.indexOf("data-") === 0 && n !== "data-mekaar" && n !== STATE) {
        q += encodeURIComponent(n.slice(5)) + "=" + encodeURIComponent(a[i].value) + "&";
      }
    }
    f.src = base + "embed/" + encodeURIComponent(el.getAttribute("data-mekaar")) + q;
    f.title = "Mekaar";
    f.style.cssText = "display:block;width:100%;height:180px;border:0";
    el.textContent = "";
    el.appendChild(f);
    el.setAttribute(STATE, "framed");
  }
  function blocked() {
    framed = true;
    var list = d.querySelectorAll("[data-mekaar]");
    for (var i = 0; i < list.length; i++) {
      var state = list[i].getAttribute(STATE);
      if (state !== "mounted" && state !== "framed") frame(list[i]);
    }
  }
  d.addEventListener("securitypolicyviolation", function (e) {
    if (String(e.blockedURI).indexOf(origin) === 0 || e.blockedURI === "wasm-eval") blocked();
  });
  window.addEventListener("message", function (e) {
    if (e.origin !== origin || !e.data || e.data.mekaar !== "height") return;
    var frames = d.querySelectorAll("[data-mekaar] > iframe");
    for (var i = 0; i < frames.length; i++) {
      if (frames[i].contentWindow === e.source) {
        frames[i].style.height = e.data.height + "px";
        if (e.data.title) frames[i].title = e.data.title;
      }
    }
  });
  function load(name) {
    if (!glue[name]) {
      glue[name] = import(base + "pkg/" + FILES[name][0]).then(function (m) {
        return m.default({ module_or_path: base + "pkg/" + FILES[name][1] }).then(function () {
          return m;
        });
      });
      // After a failure (e.g. offline), a placeholder added later tries again.
      glue[name].catch(function () {
        glue[name] = null;
      });
    }
    return glue[name];
  }
  function mount(el) {
    // The attribute is the guard, so a second copy of this loader on the page agrees.
    if (el.hasAttribute(STATE)) return;
    if (framed) return frame(el);
    el.setAttribute(STATE, "loading");
    load(family(el)).then(function (m) {
      m.mount(el, base);
      el.setAttribute(STATE, "mounted");
    }).catch(function (e) {
      if (framed || (window.WebAssembly && e instanceof WebAssembly.CompileError)) return blocked();
      el.setAttribute(STATE, "failed");
      if (window.console) console.warn("mekaar:", e);
    });
  }
  // A placeholder that left the page (single-page sites replace content all the time):
  // its widget ends, with its live connection, timers and listeners. One moved elsewhere
  // is connected again by now and stays as it is.
  function unmount(el) {
    if (el.isConnected || el.getAttribute(STATE) !== "mounted") return;
    el.removeAttribute(STATE);
    load(family(el)).then(function (m) {
      m.unmount(el);
    });
  }
  function gone(node) {
    if (node.nodeType !== 1) return;
    if (node.hasAttribute("data-mekaar")) unmount(node);
    var list = node.querySelectorAll("[data-mekaar]");
    for (var i = 0; i < list.length; i++) unmount(list[i]);
  }
  function scan(node) {
    if (node.nodeType !== 1) return;
    if (node.hasAttribute("data-mekaar")) mount(node);
    var list = node.querySelectorAll("[data-mekaar]");
    for (var i = 0; i < list.length; i++) mount(list[i]);
  }
  scan(d.documentElement);
  var watch = { childList: true, subtree: true };
  var observer = new MutationObserver(function (records) {
    for (var i = 0; i < records.length; i++) {
      var added = records[i].addedNodes, removed = records[i].removedNodes;
      for (var j = 0; j < removed.length; j++) gone(removed[j]);
      for (var k = 0; k < added.length; k++) scan(added[k]);
    }
  });
  observer.observe(d.documentElement, watch);
  // A widget that shows others inside its shadow root (the initiative detail's reactions,
  // meetings and next steps)
  // asks for it with a composed `mekaar:mount` event from that placeholder: mount it, and
  // watch that shadow root, so the widget ends when its placeholder leaves it.
  d.addEventListener("mekaar:mount", function (e) {
    var el = e.composedPath()[0];
    if (!el || !el.hasAttribute || !el.hasAttribute("data-mekaar")) return;
    observer.observe(el.getRootNode(), watch);
    mount(el);
  });
})();
