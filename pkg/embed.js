(function () {
var d = document;
var s = d.currentScript;
if (!s || !s.src) {
var all = d.querySelectorAll('script[src*="embed.js"]');
s = all[all.length - 1];
}
if (!s) return;
var base = new URL(".", s.src).href;
var STATE = "data-mekaar-state";
var glue;
function load() {
if (!glue) {
glue = import(base + "pkg/mekaar_widgets-5aed55ae.js").then(function (m) {
return m.default({ module_or_path: base + "pkg/mekaar_widgets_bg-033dd671.wasm" }).then(function () {
return m;
});
});
glue.catch(function () {
glue = null;
});
}
return glue;
}
function mount(el) {
if (el.hasAttribute(STATE)) return;
el.setAttribute(STATE, "loading");
load().then(function (m) {
m.mount(el, base);
el.setAttribute(STATE, "mounted");
}).catch(function (e) {
el.setAttribute(STATE, "failed");
if (window.console) console.warn("mekaar:", e);
});
}
function unmount(el) {
if (el.isConnected || el.getAttribute(STATE) !== "mounted") return;
el.removeAttribute(STATE);
load().then(function (m) {
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
new MutationObserver(function (records) {
for (var i = 0; i < records.length; i++) {
var added = records[i].addedNodes, removed = records[i].removedNodes;
for (var j = 0; j < removed.length; j++) gone(removed[j]);
for (var k = 0; k < added.length; k++) scan(added[k]);
}
}).observe(d.documentElement, { childList: true, subtree: true });
})();
