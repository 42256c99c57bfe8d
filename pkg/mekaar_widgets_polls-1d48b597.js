export function mount(element, base) {
const ptr0 = passStringToWasm0(base, wasm.__wbindgen_export, wasm.__wbindgen_export2);
const len0 = WASM_VECTOR_LEN;
const ret = wasm.mount(element, ptr0, len0);
if (ret[1]) {
throw takeFromExternrefTable0(ret[0]);
}
}
export function unmount(element) {
wasm.unmount(element);
}
function __wbg_get_imports() {
const import0 = {
__proto__: null,
bD: function(arg0) {
const v = arg0;
const ret = typeof(v) === 'boolean' ? v : undefined;
return isLikeNone(ret) ? 0xFFFFFF : ret ? 1 : 0;
},
bH: function(arg0, arg1) {
const ret = debugString(arg1);
const ptr1 = passStringToWasm0(ret, wasm.__wbindgen_export, wasm.__wbindgen_export2);
const len1 = WASM_VECTOR_LEN;
getDataViewMemory0().setInt32((arg0 >>> 0) + 4 * 1, len1, true);
getDataViewMemory0().setInt32((arg0 >>> 0) + 4 * 0, ptr1, true);
},
bE: function(arg0) {
const ret = typeof(arg0) === 'function';
return ret;
},
by: function(arg0) {
const ret = arg0 === null;
return ret;
},
bA: function(arg0) {
const val = arg0;
const ret = typeof(val) === 'object' && val !== null;
return ret;
},
bF: function(arg0) {
const ret = arg0 === undefined;
return ret;
},
bz: function(arg0, arg1) {
const ret = arg0 === arg1;
return ret;
},
bB: function(arg0, arg1) {
const obj = arg1;
const ret = typeof(obj) === 'number' ? obj : undefined;
getDataViewMemory0().setFloat64((arg0 >>> 0) + 8 * 1, isLikeNone(ret) ? 0 : ret, true);
getDataViewMemory0().setInt32((arg0 >>> 0) + 4 * 0, !isLikeNone(ret), true);
},
bC: function(arg0, arg1) {
const obj = arg1;
const ret = typeof(obj) === 'string' ? obj : undefined;
var ptr1 = isLikeNone(ret) ? 0 : passStringToWasm0(ret, wasm.__wbindgen_export, wasm.__wbindgen_export2);
var len1 = WASM_VECTOR_LEN;
getDataViewMemory0().setInt32((arg0 >>> 0) + 4 * 1, len1, true);
getDataViewMemory0().setInt32((arg0 >>> 0) + 4 * 0, ptr1, true);
},
bx: function(arg0, arg1) {
throw new Error(getStringFromWasm0(arg0, arg1));
},
bG: function(arg0) {
arg0._wbg_cb_unref();
},
ae: function() { return handleError(function (arg0, arg1, arg2, arg3, arg4) {
arg0.addEventListener(getStringFromWasm0(arg1, arg2), arg3, arg4);
}, arguments); },
aK: function() { return handleError(function (arg0, arg1) {
const ret = arg0.appendChild(arg1);
return ret;
}, arguments); },
D: function() { return handleError(function (arg0, arg1) {
const ret = arg0.attachShadow(arg1);
return ret;
}, arguments); },
aW: function(arg0) {
const ret = arg0.bubbles;
return ret;
},
h: function(arg0) {
const ret = arg0.__yew_subtree_cache_key;
return isLikeNone(ret) ? Number.MAX_SAFE_INTEGER : (ret) >>> 0;
},
aS: function(arg0) {
const ret = arg0.cancelBubble;
return ret;
},
av: function(arg0) {
const ret = arg0.checked;
return ret;
},
aI: function(arg0) {
const ret = arg0.childNodes;
return ret;
},
o: function(arg0) {
const ret = clearTimeout(arg0);
return ret;
},
aG: function() { return handleError(function (arg0) {
const ret = arg0.cloneNode();
return ret;
}, arguments); },
ac: function(arg0) {
arg0.close();
},
aT: function(arg0) {
const ret = arg0.composedPath();
return ret;
},
S: function() { return handleError(function (arg0, arg1, arg2, arg3, arg4) {
const ret = arg0.createElementNS(arg1 === 0 ? undefined : getStringFromWasm0(arg1, arg2), getStringFromWasm0(arg3, arg4));
return ret;
}, arguments); },
Q: function() { return handleError(function (arg0, arg1, arg2) {
const ret = arg0.createElement(getStringFromWasm0(arg1, arg2));
return ret;
}, arguments); },
R: function(arg0, arg1, arg2) {
const ret = arg0.createTextNode(getStringFromWasm0(arg1, arg2));
return ret;
},
z: function() { return handleError(function (arg0) {
const ret = arg0.crypto;
return ret;
}, arguments); },
ao: function(arg0) {
const ret = arg0.data;
return ret;
},
A: function(arg0) {
const ret = arg0.document;
return isLikeNone(ret) ? 0 : addToExternrefTable0(ret);
},
m: function(arg0, arg1) {
let deferred0_0;
let deferred0_1;
try {
deferred0_0 = arg0;
deferred0_1 = arg1;
console.error(getStringFromWasm0(arg0, arg1));
} finally {
wasm.__wbindgen_export3(deferred0_0, deferred0_1, 1);
}
},
t: function(arg0, arg1) {
var v0 = getArrayJsValueFromWasm0(arg0, arg1);
wasm.__wbindgen_export3(arg0, arg1 * 4, 4);
console.error(...(v0));
},
x: function(arg0, arg1) {
const ret = arg0.fetch(arg1);
return ret;
},
af: function() { return handleError(function (arg0) {
arg0.focus();
}, arguments); },
bk: function(arg0) {
const ret = Array.from(arg0);
return ret;
},
E: function(arg0, arg1, arg2, arg3) {
const ret = arg1.getAttribute(getStringFromWasm0(arg2, arg3));
var ptr1 = isLikeNone(ret) ? 0 : passStringToWasm0(ret, wasm.__wbindgen_export, wasm.__wbindgen_export2);
var len1 = WASM_VECTOR_LEN;
getDataViewMemory0().setInt32((arg0 >>> 0) + 4 * 1, len1, true);
getDataViewMemory0().setInt32((arg0 >>> 0) + 4 * 0, ptr1, true);
},
y: function() { return handleError(function (arg0, arg1) {
const ret = arg0.getComputedStyle(arg1);
return isLikeNone(ret) ? 0 : addToExternrefTable0(ret);
}, arguments); },
bc: function(arg0) {
const ret = arg0.getDate();
return ret;
},
aZ: function(arg0) {
const ret = arg0.getFullYear();
return ret;
},
bd: function(arg0) {
const ret = arg0.getHours();
return ret;
},
O: function() { return handleError(function (arg0, arg1, arg2, arg3) {
const ret = arg1.getItem(getStringFromWasm0(arg2, arg3));
var ptr1 = isLikeNone(ret) ? 0 : passStringToWasm0(ret, wasm.__wbindgen_export, wasm.__wbindgen_export2);
var len1 = WASM_VECTOR_LEN;
getDataViewMemory0().setInt32((arg0 >>> 0) + 4 * 1, len1, true);
getDataViewMemory0().setInt32((arg0 >>> 0) + 4 * 0, ptr1, true);
}, arguments); },
aY: function(arg0) {
const ret = arg0.getMinutes();
return ret;
},
be: function(arg0) {
const ret = arg0.getMonth();
return ret;
},
az: function() { return handleError(function (arg0, arg1, arg2, arg3) {
const ret = arg1.getPropertyValue(getStringFromWasm0(arg2, arg3));
const ptr1 = passStringToWasm0(ret, wasm.__wbindgen_export, wasm.__wbindgen_export2);
const len1 = WASM_VECTOR_LEN;
getDataViewMemory0().setInt32((arg0 >>> 0) + 4 * 1, len1, true);
getDataViewMemory0().setInt32((arg0 >>> 0) + 4 * 0, ptr1, true);
}, arguments); },
u: function() { return handleError(function (arg0, arg1, arg2) {
const ret = arg0.getRandomValues(getArrayU8FromWasm0(arg1, arg2));
return ret;
}, arguments); },
bt: function() { return handleError(function (arg0, arg1) {
const ret = Reflect.get(arg0, arg1);
return ret;
}, arguments); },
K: function() { return handleError(function (arg0, arg1, arg2, arg3) {
const ret = arg1.get(getStringFromWasm0(arg2, arg3));
var ptr1 = isLikeNone(ret) ? 0 : passStringToWasm0(ret, wasm.__wbindgen_export, wasm.__wbindgen_export2);
var len1 = WASM_VECTOR_LEN;
getDataViewMemory0().setInt32((arg0 >>> 0) + 4 * 1, len1, true);
getDataViewMemory0().setInt32((arg0 >>> 0) + 4 * 0, ptr1, true);
}, arguments); },
q: function(arg0, arg1) {
const ret = arg0[arg1 >>> 0];
return ret;
},
p: function(arg0, arg1) {
const ret = arg0[arg1 >>> 0];
return ret;
},
W: function(arg0) {
const ret = arg0.headers;
return ret;
},
Y: function(arg0) {
const ret = arg0.host;
return ret;
},
aN: function() { return handleError(function (arg0, arg1, arg2) {
const ret = arg0.insertBefore(arg1, arg2);
return ret;
}, arguments); },
B: function(arg0) {
let result;
try {
result = arg0 instanceof Element;
} catch (_) {
result = false;
}
const ret = result;
return ret;
},
ah: function(arg0) {
let result;
try {
result = arg0 instanceof HTMLElement;
} catch (_) {
result = false;
}
const ret = result;
return ret;
},
ap: function(arg0) {
let result;
try {
result = arg0 instanceof MessageEvent;
} catch (_) {
result = false;
}
const ret = result;
return ret;
},
Z: function(arg0) {
let result;
try {
result = arg0 instanceof ShadowRoot;
} catch (_) {
result = false;
}
const ret = result;
return ret;
},
v: function(arg0) {
let result;
try {
result = arg0 instanceof Window;
} catch (_) {
result = false;
}
const ret = result;
return ret;
},
bl: function(arg0) {
const ret = Array.isArray(arg0);
return ret;
},
bm: function(arg0, arg1) {
const ret = Object.is(arg0, arg1);
return ret;
},
U: function() { return handleError(function (arg0) {
const ret = arg0.json();
return ret;
}, arguments); },
aH: function(arg0) {
const ret = arg0.lastChild;
return isLikeNone(ret) ? 0 : addToExternrefTable0(ret);
},
r: function(arg0) {
const ret = arg0.length;
return ret;
},
c: function(arg0) {
const ret = arg0.__yew_listener_id;
return isLikeNone(ret) ? Number.MAX_SAFE_INTEGER : (ret) >>> 0;
},
w: function() { return handleError(function (arg0) {
const ret = arg0.localStorage;
return isLikeNone(ret) ? 0 : addToExternrefTable0(ret);
}, arguments); },
F: function(arg0, arg1) {
const ret = arg1.namespaceURI;
var ptr1 = isLikeNone(ret) ? 0 : passStringToWasm0(ret, wasm.__wbindgen_export, wasm.__wbindgen_export2);
var len1 = WASM_VECTOR_LEN;
getDataViewMemory0().setInt32((arg0 >>> 0) + 4 * 1, len1, true);
getDataViewMemory0().setInt32((arg0 >>> 0) + 4 * 0, ptr1, true);
},
L: function() { return handleError(function () {
const ret = new Headers();
return ret;
}, arguments); },
bi: function() {
const ret = new Array();
return ret;
},
ba: function(arg0) {
const ret = new Date(arg0);
return ret;
},
ar: function() { return handleError(function () {
const ret = new CSSStyleSheet();
return ret;
}, arguments); },
k: function() {
const ret = new Error();
return ret;
},
bn: function() {
const ret = new Object();
return ret;
},
ab: function() { return handleError(function (arg0, arg1) {
const ret = new EventSource(getStringFromWasm0(arg0, arg1));
return ret;
}, arguments); },
N: function() { return handleError(function (arg0, arg1, arg2) {
const ret = new Request(getStringFromWasm0(arg0, arg1), arg2);
return ret;
}, arguments); },
aL: function(arg0) {
const ret = arg0.nextSibling;
return isLikeNone(ret) ? 0 : addToExternrefTable0(ret);
},
bb: function() {
const ret = Date.now();
return ret;
},
bj: function(arg0) {
const ret = Array.of(arg0);
return ret;
},
T: function(arg0) {
const ret = arg0.ok;
return ret;
},
aO: function(arg0) {
const ret = arg0.ownerDocument;
return isLikeNone(ret) ? 0 : addToExternrefTable0(ret);
},
aP: function(arg0) {
const ret = arg0.parentElement;
return isLikeNone(ret) ? 0 : addToExternrefTable0(ret);
},
aJ: function(arg0) {
const ret = arg0.parentNode;
return isLikeNone(ret) ? 0 : addToExternrefTable0(ret);
},
bf: function() { return handleError(function (arg0, arg1) {
const ret = JSON.parse(getStringFromWasm0(arg0, arg1));
return ret;
}, arguments); },
aU: function(arg0) {
arg0.preventDefault();
},
H: function() { return handleError(function (arg0, arg1, arg2) {
const ret = arg0.querySelector(getStringFromWasm0(arg1, arg2));
return isLikeNone(ret) ? 0 : addToExternrefTable0(ret);
}, arguments); },
bw: function(arg0) {
const ret = arg0.queueMicrotask;
return ret;
},
bv: function(arg0) {
queueMicrotask(arg0);
},
bh: function() {
const ret = Math.random();
return ret;
},
aa: function(arg0) {
const ret = arg0.readyState;
return ret;
},
J: function() { return handleError(function (arg0, arg1, arg2) {
arg0.removeAttribute(getStringFromWasm0(arg1, arg2));
}, arguments); },
aM: function() { return handleError(function (arg0, arg1) {
const ret = arg0.removeChild(arg1);
return ret;
}, arguments); },
ad: function() { return handleError(function (arg0, arg1, arg2, arg3, arg4) {
arg0.removeEventListener(getStringFromWasm0(arg1, arg2), arg3, arg4 !== 0);
}, arguments); },
ay: function() { return handleError(function (arg0, arg1, arg2, arg3) {
const ret = arg1.removeProperty(getStringFromWasm0(arg2, arg3));
const ptr1 = passStringToWasm0(ret, wasm.__wbindgen_export, wasm.__wbindgen_export2);
const len1 = WASM_VECTOR_LEN;
getDataViewMemory0().setInt32((arg0 >>> 0) + 4 * 1, len1, true);
getDataViewMemory0().setInt32((arg0 >>> 0) + 4 * 0, ptr1, true);
}, arguments); },
aq: function() { return handleError(function (arg0, arg1, arg2) {
arg0.replaceSync(getStringFromWasm0(arg1, arg2));
}, arguments); },
bs: function(arg0) {
const ret = Promise.resolve(arg0);
return ret;
},
G: function() { return handleError(function (arg0, arg1, arg2, arg3, arg4) {
arg0.setAttribute(getStringFromWasm0(arg1, arg2), getStringFromWasm0(arg3, arg4));
}, arguments); },
P: function() { return handleError(function (arg0, arg1, arg2, arg3, arg4) {
arg0.setItem(getStringFromWasm0(arg1, arg2), getStringFromWasm0(arg3, arg4));
}, arguments); },
ax: function() { return handleError(function (arg0, arg1, arg2, arg3, arg4) {
arg0.setProperty(getStringFromWasm0(arg1, arg2), getStringFromWasm0(arg3, arg4));
}, arguments); },
n: function() { return handleError(function (arg0, arg1) {
const ret = setTimeout(arg0, arg1);
return ret;
}, arguments); },
i: function(arg0, arg1) {
const ret = setTimeout(arg0, arg1);
return ret;
},
bu: function() { return handleError(function (arg0, arg1, arg2) {
const ret = Reflect.set(arg0, arg1, arg2);
return ret;
}, arguments); },
M: function() { return handleError(function (arg0, arg1, arg2, arg3, arg4) {
arg0.set(getStringFromWasm0(arg1, arg2), getStringFromWasm0(arg3, arg4));
}, arguments); },
al: function(arg0, arg1) {
arg0.body = arg1;
},
an: function(arg0, arg1) {
arg0.cache = __wbindgen_enum_RequestCache[arg1];
},
f: function(arg0, arg1) {
arg0.__yew_subtree_cache_key = arg1 >>> 0;
},
aD: function(arg0, arg1) {
arg0.capture = arg1 !== 0;
},
at: function(arg0, arg1) {
arg0.checked = arg1 !== 0;
},
ak: function(arg0, arg1) {
arg0.credentials = __wbindgen_enum_RequestCredentials[arg1];
},
a: function(arg0, arg1, arg2) {
arg0[arg1 >>> 0] = arg2;
},
aA: function() { return handleError(function (arg0, arg1, arg2) {
arg0.defaultValue = getStringFromWasm0(arg1, arg2);
}, arguments); },
s: function(arg0, arg1, arg2) {
arg0[arg1] = arg2;
},
aj: function(arg0, arg1) {
arg0.headers = arg1;
},
I: function(arg0, arg1, arg2) {
arg0.innerHTML = getStringFromWasm0(arg1, arg2);
},
X: function(arg0, arg1, arg2) {
arg0.innerHTML = getStringFromWasm0(arg1, arg2);
},
d: function(arg0, arg1) {
arg0.__yew_listener_id = arg1 >>> 0;
},
ai: function(arg0, arg1, arg2) {
arg0.method = getStringFromWasm0(arg1, arg2);
},
am: function(arg0, arg1) {
arg0.mode = __wbindgen_enum_RequestMode[arg1];
},
as: function(arg0, arg1) {
arg0.mode = __wbindgen_enum_ShadowRootMode[arg1];
},
aQ: function(arg0, arg1, arg2) {
arg0.nodeValue = arg1 === 0 ? undefined : getStringFromWasm0(arg1, arg2);
},
aF: function(arg0, arg1) {
arg0.once = arg1 !== 0;
},
aE: function(arg0, arg1) {
arg0.passive = arg1 !== 0;
},
e: function(arg0, arg1) {
arg0.__yew_subtree_id = arg1 >>> 0;
},
aR: function(arg0, arg1, arg2) {
arg0.textContent = arg1 === 0 ? undefined : getStringFromWasm0(arg1, arg2);
},
aC: function(arg0, arg1, arg2) {
arg0.value = getStringFromWasm0(arg1, arg2);
},
aw: function(arg0, arg1, arg2) {
arg0.value = getStringFromWasm0(arg1, arg2);
},
C: function(arg0) {
const ret = arg0.shadowRoot;
return isLikeNone(ret) ? 0 : addToExternrefTable0(ret);
},
j: function(arg0, arg1) {
const ret = arg1.slice();
const ptr1 = passArrayJsValueToWasm0(ret, wasm.__wbindgen_export);
const len1 = WASM_VECTOR_LEN;
getDataViewMemory0().setInt32((arg0 >>> 0) + 4 * 1, len1, true);
getDataViewMemory0().setInt32((arg0 >>> 0) + 4 * 0, ptr1, true);
},
l: function(arg0, arg1) {
const ret = arg1.stack;
const ptr1 = passStringToWasm0(ret, wasm.__wbindgen_export, wasm.__wbindgen_export2);
const len1 = WASM_VECTOR_LEN;
getDataViewMemory0().setInt32((arg0 >>> 0) + 4 * 1, len1, true);
getDataViewMemory0().setInt32((arg0 >>> 0) + 4 * 0, ptr1, true);
},
bo: function() {
const ret = typeof globalThis === 'undefined' ? undefined : globalThis;
return isLikeNone(ret) ? 0 : addToExternrefTable0(ret);
},
bq: function() {
const ret = typeof global === 'undefined' ? undefined : global;
return isLikeNone(ret) ? 0 : addToExternrefTable0(ret);
},
bp: function() {
const ret = typeof self === 'undefined' ? undefined : self;
return isLikeNone(ret) ? 0 : addToExternrefTable0(ret);
},
br: function() {
const ret = typeof window === 'undefined' ? undefined : window;
return isLikeNone(ret) ? 0 : addToExternrefTable0(ret);
},
V: function(arg0) {
const ret = arg0.status;
return ret;
},
bg: function() { return handleError(function (arg0) {
const ret = JSON.stringify(arg0);
return ret;
}, arguments); },
ag: function(arg0) {
const ret = arg0.style;
return ret;
},
g: function(arg0) {
const ret = arg0.__yew_subtree_id;
return isLikeNone(ret) ? Number.MAX_SAFE_INTEGER : (ret) >>> 0;
},
aV: function(arg0) {
const ret = arg0.target;
return isLikeNone(ret) ? 0 : addToExternrefTable0(ret);
},
b: function(arg0, arg1, arg2) {
const ret = arg0.then(arg1, arg2);
return ret;
},
aX: function(arg0, arg1) {
const ret = arg0.then(arg1);
return ret;
},
au: function(arg0, arg1) {
const ret = arg1.value;
const ptr1 = passStringToWasm0(ret, wasm.__wbindgen_export, wasm.__wbindgen_export2);
const len1 = WASM_VECTOR_LEN;
getDataViewMemory0().setInt32((arg0 >>> 0) + 4 * 1, len1, true);
getDataViewMemory0().setInt32((arg0 >>> 0) + 4 * 0, ptr1, true);
},
aB: function(arg0, arg1) {
const ret = arg1.value;
const ptr1 = passStringToWasm0(ret, wasm.__wbindgen_export, wasm.__wbindgen_export2);
const len1 = WASM_VECTOR_LEN;
getDataViewMemory0().setInt32((arg0 >>> 0) + 4 * 1, len1, true);
getDataViewMemory0().setInt32((arg0 >>> 0) + 4 * 0, ptr1, true);
},
bJ: function(arg0, arg1) {
const ret = makeMutClosure(arg0, arg1, __wasm_bindgen_func_elem_2673);
return ret;
},
bK: function(arg0, arg1) {
const ret = makeClosure(arg0, arg1, __wasm_bindgen_func_elem_891);
return ret;
},
bL: function(arg0, arg1) {
const ret = makeMutClosure(arg0, arg1, __wasm_bindgen_func_elem_1502);
return ret;
},
bM: function(arg0, arg1) {
const ret = makeMutClosure(arg0, arg1, __wasm_bindgen_func_elem_1488);
return ret;
},
bN: function(arg0) {
const ret = arg0;
return ret;
},
bO: function(arg0, arg1) {
const ret = getStringFromWasm0(arg0, arg1);
return ret;
},
bI: function() {
const table = wasm.__wbindgen_externrefs;
table.set(0, undefined);
table.set(1024, undefined);
table.set(1025, null);
table.set(1026, true);
table.set(1027, false);
},
};
return {
__proto__: null,
"./mekaar_widgets_polls_bg.js": import0,
};
}
function __wasm_bindgen_func_elem_1488(arg0, arg1) {
wasm.__wasm_bindgen_func_elem_1488(arg0, arg1);
}
function __wasm_bindgen_func_elem_891(arg0, arg1, arg2) {
wasm.__wasm_bindgen_func_elem_891(arg0, arg1, arg2);
}
function __wasm_bindgen_func_elem_1502(arg0, arg1, arg2) {
wasm.__wasm_bindgen_func_elem_1502(arg0, arg1, arg2);
}
function __wasm_bindgen_func_elem_2673(arg0, arg1, arg2) {
const ret = wasm.__wasm_bindgen_func_elem_2673(arg0, arg1, arg2);
if (ret[1]) {
throw takeFromExternrefTable0(ret[0]);
}
}
const __wbindgen_enum_RequestCache = ["default", "no-store", "reload", "no-cache", "force-cache", "only-if-cached"];
const __wbindgen_enum_RequestCredentials = ["omit", "same-origin", "include"];
const __wbindgen_enum_RequestMode = ["same-origin", "no-cors", "cors", "navigate"];
const __wbindgen_enum_ShadowRootMode = ["open", "closed"];
function addToExternrefTable0(obj) {
const idx = wasm.__wbindgen_export5();
wasm.__wbindgen_externrefs.set(idx, obj);
return idx;
}
const CLOSURE_DTORS = (typeof FinalizationRegistry === 'undefined')
? { register: () => {}, unregister: () => {} }
: new FinalizationRegistry(state => wasm.__wbindgen_export7(state.a, state.b));
function debugString(val) {
switch (typeof val) {
case 'number':
case 'boolean':
case 'undefined':
return `${val}`;
case 'string':
return JSON.stringify(val);
case 'bigint':
return `${val}n`;
case 'symbol':
return val.description !== undefined
? `Symbol(${val.description})`
: 'Symbol';
case 'function':
return typeof val.name === 'string' && val.name !== ''
? `Function(${val.name})`
: 'Function';
case 'object': {
if (val === null) {
return 'null';
}
if (Array.isArray(val)) {
return '[' + Array.from(val, debugString).join(', ') + ']';
}
if (val instanceof Error) {
return `${val.name}: ${val.message}\n${val.stack}`;
}
const toStringOutput = toString.call(val);
const className = /\[object ([^\]]+)\]/.exec(toStringOutput)?.[1];
if (className === undefined) {
return toStringOutput;
}
if (className === 'Object') {
try {
return 'Object(' + JSON.stringify(val) + ')';
} catch (_) {
return 'Object';
}
}
return className;
}
}
}
function getArrayJsValueFromWasm0(ptr, len) {
ptr = ptr >>> 0;
const mem = getDataViewMemory0();
const result = [];
for (let i = ptr; i < ptr + 4 * len; i += 4) {
result.push(wasm.__wbindgen_externrefs.get(mem.getUint32(i, true)));
}
wasm.__wbindgen_export6(ptr, len);
return result;
}
function getArrayU8FromWasm0(ptr, len) {
ptr = ptr >>> 0;
return getUint8ArrayMemory0().subarray(ptr / 1, ptr / 1 + len);
}
let cachedDataViewMemory0 = null;
function getDataViewMemory0() {
if (cachedDataViewMemory0 === null || cachedDataViewMemory0.buffer.detached === true || (cachedDataViewMemory0.buffer.detached === undefined && cachedDataViewMemory0.buffer !== wasm.memory.buffer)) {
cachedDataViewMemory0 = new DataView(wasm.memory.buffer);
}
return cachedDataViewMemory0;
}
function getStringFromWasm0(ptr, len) {
ptr = ptr >>> 0;
return decodeText(getUint8ArrayMemory0().subarray(ptr, ptr + len));
}
let cachedUint8ArrayMemory0 = null;
function getUint8ArrayMemory0() {
if (cachedUint8ArrayMemory0 === null || cachedUint8ArrayMemory0.byteLength === 0) {
cachedUint8ArrayMemory0 = new Uint8Array(wasm.memory.buffer);
}
return cachedUint8ArrayMemory0;
}
function handleError(f, args) {
try {
return f.apply(this, args);
} catch (e) {
const idx = addToExternrefTable0(e);
wasm.__wbindgen_export4(idx);
}
}
function isLikeNone(x) {
return x === undefined || x === null;
}
function makeClosure(arg0, arg1, f) {
const state = { a: arg0, b: arg1, cnt: 1 };
const real = (...args) => {
state.cnt++;
try {
return f(state.a, state.b, ...args);
} finally {
real._wbg_cb_unref();
}
};
real._wbg_cb_unref = () => {
if (--state.cnt === 0) {
wasm.__wbindgen_export7(state.a, state.b);
state.a = 0;
CLOSURE_DTORS.unregister(state);
}
};
CLOSURE_DTORS.register(real, state, state);
return real;
}
function makeMutClosure(arg0, arg1, f) {
const state = { a: arg0, b: arg1, cnt: 1 };
const real = (...args) => {
state.cnt++;
const a = state.a;
state.a = 0;
try {
return f(a, state.b, ...args);
} finally {
state.a = a;
real._wbg_cb_unref();
}
};
real._wbg_cb_unref = () => {
if (--state.cnt === 0) {
wasm.__wbindgen_export7(state.a, state.b);
state.a = 0;
CLOSURE_DTORS.unregister(state);
}
};
CLOSURE_DTORS.register(real, state, state);
return real;
}
function passArrayJsValueToWasm0(array, malloc) {
const ptr = malloc(array.length * 4, 4) >>> 0;
for (let i = 0; i < array.length; i++) {
const add = addToExternrefTable0(array[i]);
getDataViewMemory0().setUint32(ptr + 4 * i, add, true);
}
WASM_VECTOR_LEN = array.length;
return ptr;
}
function passStringToWasm0(arg, malloc, realloc) {
if (realloc === undefined) {
const buf = cachedTextEncoder.encode(arg);
const ptr = malloc(buf.length, 1) >>> 0;
getUint8ArrayMemory0().subarray(ptr, ptr + buf.length).set(buf);
WASM_VECTOR_LEN = buf.length;
return ptr;
}
let len = arg.length;
let ptr = malloc(len, 1) >>> 0;
const mem = getUint8ArrayMemory0();
let offset = 0;
for (; offset < len; offset++) {
const code = arg.charCodeAt(offset);
if (code > 0x7F) break;
mem[ptr + offset] = code;
}
if (offset !== len) {
if (offset !== 0) {
arg = arg.slice(offset);
}
ptr = realloc(ptr, len, len = offset + arg.length * 3, 1) >>> 0;
const view = getUint8ArrayMemory0().subarray(ptr + offset, ptr + len);
const ret = cachedTextEncoder.encodeInto(arg, view);
offset += ret.written;
ptr = realloc(ptr, len, offset, 1) >>> 0;
}
WASM_VECTOR_LEN = offset;
return ptr;
}
function takeFromExternrefTable0(idx) {
const value = wasm.__wbindgen_externrefs.get(idx);
wasm.__wbindgen_export8(idx);
return value;
}
let cachedTextDecoder = new TextDecoder('utf-8', { ignoreBOM: true });
cachedTextDecoder.decode();
const MAX_SAFARI_DECODE_BYTES = 2146435072;
let numBytesDecoded = 0;
function decodeText(bytes) {
numBytesDecoded += bytes.length;
if (numBytesDecoded >= MAX_SAFARI_DECODE_BYTES) {
cachedTextDecoder = new TextDecoder('utf-8', { ignoreBOM: true });
cachedTextDecoder.decode();
numBytesDecoded = bytes.length;
}
return cachedTextDecoder.decode(bytes);
}
const cachedTextEncoder = new TextEncoder();
if (!('encodeInto' in cachedTextEncoder)) {
cachedTextEncoder.encodeInto = function (arg, view) {
const buf = cachedTextEncoder.encode(arg);
view.set(buf);
return {
read: arg.length,
written: buf.length
};
};
}
let WASM_VECTOR_LEN = 0;
let wasmModule, wasmInstance, wasm;
function __wbg_finalize_init(instance, module) {
wasmInstance = instance;
wasm = instance.exports;
wasmModule = module;
cachedDataViewMemory0 = null;
cachedUint8ArrayMemory0 = null;
wasm.__wbindgen_start();
return wasm;
}
async function __wbg_load(module, imports) {
if (typeof Response === 'function' && module instanceof Response) {
if (!module.ok) {
throw new Error(`failed to fetch Wasm: ${module.status} ${module.statusText} fetching '${module.url}'`);
}
if (typeof WebAssembly.instantiateStreaming === 'function') {
try {
return await WebAssembly.instantiateStreaming(module, imports);
} catch (e) {
const validResponse = expectedResponseType(module.type);
if (validResponse && module.headers.get('Content-Type') !== 'application/wasm') {
console.warn("`WebAssembly.instantiateStreaming` failed because your server does not serve Wasm with `application/wasm` MIME type. Falling back to `WebAssembly.instantiate` which is slower. Original error:\n", e);
} else { throw e; }
}
}
const bytes = await module.arrayBuffer();
return await WebAssembly.instantiate(bytes, imports);
} else {
const instance = await WebAssembly.instantiate(module, imports);
if (instance instanceof WebAssembly.Instance) {
return { instance, module };
} else {
return instance;
}
}
function expectedResponseType(type) {
switch (type) {
case 'basic': case 'cors': case 'default': return true;
}
return false;
}
}
function initSync(module) {
if (wasm !== undefined) return wasm;
if (module !== undefined) {
if (Object.getPrototypeOf(module) === Object.prototype) {
({module} = module)
} else {
console.warn('using deprecated parameters for `initSync()`; pass a single object instead')
}
}
const imports = __wbg_get_imports();
if (!(module instanceof WebAssembly.Module)) {
module = new WebAssembly.Module(module);
}
const instance = new WebAssembly.Instance(module, imports);
return __wbg_finalize_init(instance, module);
}
let __wbg_init_promise;
async function __wbg_init(module_or_path) {
if (wasm !== undefined) return wasm;
if (__wbg_init_promise === undefined) {
__wbg_init_promise = __wbg_init_once(module_or_path);
__wbg_init_promise.catch(() => { __wbg_init_promise = undefined; });
}
return __wbg_init_promise;
}
async function __wbg_init_once(module_or_path) {
if (module_or_path !== undefined) {
if (Object.getPrototypeOf(module_or_path) === Object.prototype) {
({module_or_path} = module_or_path)
} else {
console.warn('using deprecated parameters for the initialization function; pass a single object instead')
}
}
if (module_or_path === undefined) {
module_or_path = new URL('mekaar_widgets_polls_bg-83d348d4.wasm', import.meta.url);
}
const imports = __wbg_get_imports();
if (typeof module_or_path === 'string' || (typeof Request === 'function' && module_or_path instanceof Request) || (typeof URL === 'function' && module_or_path instanceof URL)) {
module_or_path = fetch(module_or_path);
}
const { instance, module } = await __wbg_load(await module_or_path, imports);
return __wbg_finalize_init(instance, module);
}
export { initSync, __wbg_init as default };
