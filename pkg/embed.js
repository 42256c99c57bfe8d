(function () {
var d = document;
var s = d.currentScript;
if (!s || !s.src) {
var all = d.querySelectorAll('script[src*="embed.js"]');
s = all[all.length - 1];
}
if (!s) return;
var base = new URL(".", s.src).href;
var origin = new URL(base).origin;
var STATE = "data-mekaar-state";
var glue = {}, framed;
var FILES = {
initiatives: ["mekaar_widgets_initiatives-dee28eae.js", "mekaar_widgets_initiatives_bg-119a6d05.wasm"],
polls: ["mekaar_widgets_polls-1d48b597.js", "mekaar_widgets_polls_bg-83d348d4.wasm"],
discussions: ["mekaar_widgets_discussions-947c7d81.js", "mekaar_widgets_discussions_bg-90ba4ed4.wasm"],
meetings: ["mekaar_widgets_meetings-6dda9640.js", "mekaar_widgets_meetings_bg-248841b0.wasm"]
};
var KINDS = { poll: "polls", discussion: "discussions", agenda: "meetings", meetings: "meetings", steps: "meetings" };
function family(el) {
return KINDS[el.getAttribute("data-mekaar")] || "initiatives";
}
if (d.documentElement.hasAttribute("data-mekaar-frame") && window.parent !== window && window.ResizeObserver) {
new ResizeObserver(function () {
window.parent.postMessage({ mekaar: "height", height: Math.ceil(d.documentElement.getBoundingClientRect().height), title: d.title }, "*");
}).observe(d.documentElement);
}
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
glue[name].catch(function () {
glue[name] = null;
});
}
return glue[name];
}
function mount(el) {
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
d.addEventListener("mekaar:mount", function (e) {
var el = e.composedPath()[0];
if (!el || !el.hasAttribute || !el.hasAttribute("data-mekaar")) return;
observer.observe(el.getRootNode(), watch);
mount(el);
});
})();
