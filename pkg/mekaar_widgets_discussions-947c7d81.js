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
bA: function(arg0) {
const v = arg0;
const ret = typeof(v) === 'boolean' ? v : undefined;
return isLikeNone(ret) ? 0xFFFFFF : ret ? 1 : 0;
},
bE: function(arg0, arg1) {
const ret = debugString(arg1);
const ptr1 = passStringToWasm0(ret, wasm.__wbindgen_export, wasm.__wbindgen_export2);
const len1 = WASM_VECTOR_LEN;
getDataViewMemory0().setInt32((arg0 >>> 0) + 4 * 1, len1, true);
getDataViewMemory0().setInt32((arg0 >>> 0) + 4 * 0, ptr1, true);
},
bB: function(arg0) {
const ret = typeof(arg0) === 'function';
return ret;
},
bv: function(arg0) {
const ret = arg0 === null;
return ret;
},
bx: function(arg0) {
const val = arg0;
const ret = typeof(val) === 'object' && val !== null;
return ret;
},
bC: function(arg0) {
const ret = arg0 === undefined;
return ret;
},
bw: function(arg0, arg1) {
const ret = arg0 === arg1;
return ret;
},
by: function(arg0, arg1) {
const obj = arg1;
const ret = typeof(obj) === 'number' ? obj : undefined;
getDataViewMemory0().setFloat64((arg0 >>> 0) + 8 * 1, isLikeNone(ret) ? 0 : ret, true);
getDataViewMemory0().setInt32((arg0 >>> 0) + 4 * 0, !isLikeNone(ret), true);
},
bz: function(arg0, arg1) {
const obj = arg1;
const ret = typeof(obj) === 'string' ? obj : undefined;
var ptr1 = isLikeNone(ret) ? 0 : passStringToWasm0(ret, wasm.__wbindgen_export, wasm.__wbindgen_export2);
var len1 = WASM_VECTOR_LEN;
getDataViewMemory0().setInt32((arg0 >>> 0) + 4 * 1, len1, true);
getDataViewMemory0().setInt32((arg0 >>> 0) + 4 * 0, ptr1, true);
},
bu: function(arg0, arg1) {
throw new Error(getStringFromWasm0(arg0, arg1));
},
bD: function(arg0) {
arg0._wbg_cb_unref();
},
ac: function() { return handleError(function (arg0, arg1, arg2, arg3, arg4) {
arg0.addEventListener(getStringFromWasm0(arg1, arg2), arg3, arg4);
}, arguments); },
aJ: function() { return handleError(function (arg0, arg1) {
const ret = arg0.appendChild(arg1);
return ret;
}, arguments); },
D: function() { return handleError(function (arg0, arg1) {
const ret = arg0.attachShadow(arg1);
return ret;
}, arguments); },
aV: function(arg0) {
const ret = arg0.bubbles;
return ret;
},
g: function(arg0) {
const ret = arg0.__yew_subtree_cache_key;
return isLikeNone(ret) ? Number.MAX_SAFE_INTEGER : (ret) >>> 0;
},
aR: function(arg0) {
const ret = arg0.cancelBubble;
return ret;
},
aH: function(arg0) {
const ret = arg0.childNodes;
return ret;
},
n: function(arg0) {
const ret = clearInterval(arg0);
return ret;
},
aF: function() { return handleError(function (arg0) {
const ret = arg0.cloneNode();
return ret;
}, arguments); },
aS: function(arg0) {
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
y: function() { return handleError(function (arg0) {
const ret = arg0.crypto;
return ret;
}, arguments); },
z: function(arg0) {
const ret = arg0.document;
return isLikeNone(ret) ? 0 : addToExternrefTable0(ret);
},
l: function(arg0, arg1) {
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
s: function(arg0, arg1) {
var v0 = getArrayJsValueFromWasm0(arg0, arg1);
wasm.__wbindgen_export3(arg0, arg1 * 4, 4);
console.error(...(v0));
},
w: function(arg0, arg1) {
const ret = arg0.fetch(arg1);
return ret;
},
ad: function() { return handleError(function (arg0) {
arg0.focus();
}, arguments); },
bh: function(arg0) {
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
x: function() { return handleError(function (arg0, arg1) {
const ret = arg0.getComputedStyle(arg1);
return isLikeNone(ret) ? 0 : addToExternrefTable0(ret);
}, arguments); },
bb: function(arg0) {
const ret = arg0.getDate();
return ret;
},
aY: function(arg0) {
const ret = arg0.getFullYear();
return ret;
},
bc: function(arg0) {
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
aX: function(arg0) {
const ret = arg0.getMinutes();
return ret;
},
bd: function(arg0) {
const ret = arg0.getMonth();
return ret;
},
ay: function() { return handleError(function (arg0, arg1, arg2, arg3) {
const ret = arg1.getPropertyValue(getStringFromWasm0(arg2, arg3));
const ptr1 = passStringToWasm0(ret, wasm.__wbindgen_export, wasm.__wbindgen_export2);
const len1 = WASM_VECTOR_LEN;
getDataViewMemory0().setInt32((arg0 >>> 0) + 4 * 1, len1, true);
getDataViewMemory0().setInt32((arg0 >>> 0) + 4 * 0, ptr1, true);
}, arguments); },
t: function() { return handleError(function (arg0, arg1, arg2) {
const ret = arg0.getRandomValues(getArrayU8FromWasm0(arg1, arg2));
return ret;
}, arguments); },
bq: function() { return handleError(function (arg0, arg1) {
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
p: function(arg0, arg1) {
const ret = arg0[arg1 >>> 0];
return ret;
},
o: function(arg0, arg1) {
const ret = arg0[arg1 >>> 0];
return ret;
},
U: function() { return handleError(function (arg0, arg1) {
const ret = arg1.hash;
const ptr1 = passStringToWasm0(ret, wasm.__wbindgen_export, wasm.__wbindgen_export2);
const len1 = WASM_VECTOR_LEN;
getDataViewMemory0().setInt32((arg0 >>> 0) + 4 * 1, len1, true);
getDataViewMemory0().setInt32((arg0 >>> 0) + 4 * 0, ptr1, true);
}, arguments); },
Y: function(arg0) {
const ret = arg0.headers;
return ret;
},
T: function(arg0) {
const ret = arg0.hidden;
return ret;
},
aa: function(arg0) {
const ret = arg0.host;
return ret;
},
aM: function() { return handleError(function (arg0, arg1, arg2) {
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
af: function(arg0) {
let result;
try {
result = arg0 instanceof HTMLElement;
} catch (_) {
result = false;
}
const ret = result;
return ret;
},
at: function(arg0) {
let result;
try {
result = arg0 instanceof HTMLInputElement;
} catch (_) {
result = false;
}
const ret = result;
return ret;
},
av: function(arg0) {
let result;
try {
result = arg0 instanceof HTMLSelectElement;
} catch (_) {
result = false;
}
const ret = result;
return ret;
},
aC: function(arg0) {
let result;
try {
result = arg0 instanceof HTMLTextAreaElement;
} catch (_) {
result = false;
}
const ret = result;
return ret;
},
ab: function(arg0) {
let result;
try {
result = arg0 instanceof ShadowRoot;
} catch (_) {
result = false;
}
const ret = result;
return ret;
},
u: function(arg0) {
let result;
try {
result = arg0 instanceof Window;
} catch (_) {
result = false;
}
const ret = result;
return ret;
},
bi: function(arg0) {
const ret = Array.isArray(arg0);
return ret;
},
bj: function(arg0, arg1) {
const ret = Object.is(arg0, arg1);
return ret;
},
W: function() { return handleError(function (arg0) {
const ret = arg0.json();
return ret;
}, arguments); },
ao: function(arg0, arg1) {
const ret = arg1.key;
const ptr1 = passStringToWasm0(ret, wasm.__wbindgen_export, wasm.__wbindgen_export2);
const len1 = WASM_VECTOR_LEN;
getDataViewMemory0().setInt32((arg0 >>> 0) + 4 * 1, len1, true);
getDataViewMemory0().setInt32((arg0 >>> 0) + 4 * 0, ptr1, true);
},
aG: function(arg0) {
const ret = arg0.lastChild;
return isLikeNone(ret) ? 0 : addToExternrefTable0(ret);
},
q: function(arg0) {
const ret = arg0.length;
return ret;
},
b: function(arg0) {
const ret = arg0.__yew_listener_id;
return isLikeNone(ret) ? Number.MAX_SAFE_INTEGER : (ret) >>> 0;
},
v: function() { return handleError(function (arg0) {
const ret = arg0.localStorage;
return isLikeNone(ret) ? 0 : addToExternrefTable0(ret);
}, arguments); },
A: function(arg0) {
const ret = arg0.location;
return ret;
},
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
aZ: function(arg0) {
const ret = new Date(arg0);
return ret;
},
an: function() { return handleError(function () {
const ret = new CSSStyleSheet();
return ret;
}, arguments); },
j: function() {
const ret = new Error();
return ret;
},
bk: function() {
const ret = new Object();
return ret;
},
N: function() { return handleError(function (arg0, arg1, arg2) {
const ret = new Request(getStringFromWasm0(arg0, arg1), arg2);
return ret;
}, arguments); },
aK: function(arg0) {
const ret = arg0.nextSibling;
return isLikeNone(ret) ? 0 : addToExternrefTable0(ret);
},
ba: function() {
const ret = Date.now();
return ret;
},
bg: function(arg0) {
const ret = Array.of(arg0);
return ret;
},
V: function(arg0) {
const ret = arg0.ok;
return ret;
},
aN: function(arg0) {
const ret = arg0.ownerDocument;
return isLikeNone(ret) ? 0 : addToExternrefTable0(ret);
},
aO: function(arg0) {
const ret = arg0.parentElement;
return isLikeNone(ret) ? 0 : addToExternrefTable0(ret);
},
aI: function(arg0) {
const ret = arg0.parentNode;
return isLikeNone(ret) ? 0 : addToExternrefTable0(ret);
},
aT: function(arg0) {
arg0.preventDefault();
},
H: function() { return handleError(function (arg0, arg1, arg2) {
const ret = arg0.querySelector(getStringFromWasm0(arg1, arg2));
return isLikeNone(ret) ? 0 : addToExternrefTable0(ret);
}, arguments); },
bt: function(arg0) {
const ret = arg0.queueMicrotask;
return ret;
},
bs: function(arg0) {
queueMicrotask(arg0);
},
bf: function() {
const ret = Math.random();
return ret;
},
J: function() { return handleError(function (arg0, arg1, arg2) {
arg0.removeAttribute(getStringFromWasm0(arg1, arg2));
}, arguments); },
aL: function() { return handleError(function (arg0, arg1) {
const ret = arg0.removeChild(arg1);
return ret;
}, arguments); },
ax: function() { return handleError(function (arg0, arg1, arg2, arg3) {
const ret = arg1.removeProperty(getStringFromWasm0(arg2, arg3));
const ptr1 = passStringToWasm0(ret, wasm.__wbindgen_export, wasm.__wbindgen_export2);
const len1 = WASM_VECTOR_LEN;
getDataViewMemory0().setInt32((arg0 >>> 0) + 4 * 1, len1, true);
getDataViewMemory0().setInt32((arg0 >>> 0) + 4 * 0, ptr1, true);
}, arguments); },
am: function() { return handleError(function (arg0, arg1, arg2) {
arg0.replaceSync(getStringFromWasm0(arg1, arg2));
}, arguments); },
bp: function(arg0) {
const ret = Promise.resolve(arg0);
return ret;
},
G: function() { return handleError(function (arg0, arg1, arg2, arg3, arg4) {
arg0.setAttribute(getStringFromWasm0(arg1, arg2), getStringFromWasm0(arg3, arg4));
}, arguments); },
m: function() { return handleError(function (arg0, arg1) {
const ret = setInterval(arg0, arg1);
return ret;
}, arguments); },
P: function() { return handleError(function (arg0, arg1, arg2, arg3, arg4) {
arg0.setItem(getStringFromWasm0(arg1, arg2), getStringFromWasm0(arg3, arg4));
}, arguments); },
aw: function() { return handleError(function (arg0, arg1, arg2, arg3, arg4) {
arg0.setProperty(getStringFromWasm0(arg1, arg2), getStringFromWasm0(arg3, arg4));
}, arguments); },
h: function(arg0, arg1) {
const ret = setTimeout(arg0, arg1);
return ret;
},
br: function() { return handleError(function (arg0, arg1, arg2) {
const ret = Reflect.set(arg0, arg1, arg2);
return ret;
}, arguments); },
M: function() { return handleError(function (arg0, arg1, arg2, arg3, arg4) {
arg0.set(getStringFromWasm0(arg1, arg2), getStringFromWasm0(arg3, arg4));
}, arguments); },
aj: function(arg0, arg1) {
arg0.body = arg1;
},
al: function(arg0, arg1) {
arg0.cache = __wbindgen_enum_RequestCache[arg1];
},
e: function(arg0, arg1) {
arg0.__yew_subtree_cache_key = arg1 >>> 0;
},
aD: function(arg0, arg1) {
arg0.capture = arg1 !== 0;
},
aq: function(arg0, arg1) {
arg0.checked = arg1 !== 0;
},
ai: function(arg0, arg1) {
arg0.credentials = __wbindgen_enum_RequestCredentials[arg1];
},
az: function() { return handleError(function (arg0, arg1, arg2) {
arg0.defaultValue = getStringFromWasm0(arg1, arg2);
}, arguments); },
r: function(arg0, arg1, arg2) {
arg0[arg1] = arg2;
},
ah: function(arg0, arg1) {
arg0.headers = arg1;
},
I: function(arg0, arg1, arg2) {
arg0.innerHTML = getStringFromWasm0(arg1, arg2);
},
Z: function(arg0, arg1, arg2) {
arg0.innerHTML = getStringFromWasm0(arg1, arg2);
},
c: function(arg0, arg1) {
arg0.__yew_listener_id = arg1 >>> 0;
},
ag: function(arg0, arg1, arg2) {
arg0.method = getStringFromWasm0(arg1, arg2);
},
ak: function(arg0, arg1) {
arg0.mode = __wbindgen_enum_RequestMode[arg1];
},
ap: function(arg0, arg1) {
arg0.mode = __wbindgen_enum_ShadowRootMode[arg1];
},
aP: function(arg0, arg1, arg2) {
arg0.nodeValue = arg1 === 0 ? undefined : getStringFromWasm0(arg1, arg2);
},
aE: function(arg0, arg1) {
arg0.passive = arg1 !== 0;
},
d: function(arg0, arg1) {
arg0.__yew_subtree_id = arg1 >>> 0;
},
aQ: function(arg0, arg1, arg2) {
arg0.textContent = arg1 === 0 ? undefined : getStringFromWasm0(arg1, arg2);
},
aB: function(arg0, arg1, arg2) {
arg0.value = getStringFromWasm0(arg1, arg2);
},
as: function(arg0, arg1, arg2) {
arg0.value = getStringFromWasm0(arg1, arg2);
},
C: function(arg0) {
const ret = arg0.shadowRoot;
return isLikeNone(ret) ? 0 : addToExternrefTable0(ret);
},
i: function(arg0, arg1) {
const ret = arg1.slice();
const ptr1 = passArrayJsValueToWasm0(ret, wasm.__wbindgen_export);
const len1 = WASM_VECTOR_LEN;
getDataViewMemory0().setInt32((arg0 >>> 0) + 4 * 1, len1, true);
getDataViewMemory0().setInt32((arg0 >>> 0) + 4 * 0, ptr1, true);
},
k: function(arg0, arg1) {
const ret = arg1.stack;
const ptr1 = passStringToWasm0(ret, wasm.__wbindgen_export, wasm.__wbindgen_export2);
const len1 = WASM_VECTOR_LEN;
getDataViewMemory0().setInt32((arg0 >>> 0) + 4 * 1, len1, true);
getDataViewMemory0().setInt32((arg0 >>> 0) + 4 * 0, ptr1, true);
},
bl: function() {
const ret = typeof globalThis === 'undefined' ? undefined : globalThis;
return isLikeNone(ret) ? 0 : addToExternrefTable0(ret);
},
bn: function() {
const ret = typeof global === 'undefined' ? undefined : global;
return isLikeNone(ret) ? 0 : addToExternrefTable0(ret);
},
bm: function() {
const ret = typeof self === 'undefined' ? undefined : self;
return isLikeNone(ret) ? 0 : addToExternrefTable0(ret);
},
bo: function() {
const ret = typeof window === 'undefined' ? undefined : window;
return isLikeNone(ret) ? 0 : addToExternrefTable0(ret);
},
X: function(arg0) {
const ret = arg0.status;
return ret;
},
be: function() { return handleError(function (arg0) {
const ret = JSON.stringify(arg0);
return ret;
}, arguments); },
ae: function(arg0) {
const ret = arg0.style;
return ret;
},
f: function(arg0) {
const ret = arg0.__yew_subtree_id;
return isLikeNone(ret) ? Number.MAX_SAFE_INTEGER : (ret) >>> 0;
},
aU: function(arg0) {
const ret = arg0.target;
return isLikeNone(ret) ? 0 : addToExternrefTable0(ret);
},
a: function(arg0, arg1, arg2) {
const ret = arg0.then(arg1, arg2);
return ret;
},
aW: function(arg0, arg1) {
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
ar: function(arg0, arg1) {
const ret = arg1.value;
const ptr1 = passStringToWasm0(ret, wasm.__wbindgen_export, wasm.__wbindgen_export2);
const len1 = WASM_VECTOR_LEN;
getDataViewMemory0().setInt32((arg0 >>> 0) + 4 * 1, len1, true);
getDataViewMemory0().setInt32((arg0 >>> 0) + 4 * 0, ptr1, true);
},
aA: function(arg0, arg1) {
const ret = arg1.value;
const ptr1 = passStringToWasm0(ret, wasm.__wbindgen_export, wasm.__wbindgen_export2);
const len1 = WASM_VECTOR_LEN;
getDataViewMemory0().setInt32((arg0 >>> 0) + 4 * 1, len1, true);
getDataViewMemory0().setInt32((arg0 >>> 0) + 4 * 0, ptr1, true);
},
bG: function(arg0, arg1) {
const ret = makeMutClosure(arg0, arg1, __wasm_bindgen_func_elem_2761);
return ret;
},
bH: function(arg0, arg1) {
const ret = makeClosure(arg0, arg1, __wasm_bindgen_func_elem_976);
return ret;
},
bI: function(arg0, arg1) {
const ret = makeMutClosure(arg0, arg1, __wasm_bindgen_func_elem_1584);
return ret;
},
bJ: function(arg0) {
const ret = arg0;
return ret;
},
bK: function(arg0, arg1) {
const ret = getStringFromWasm0(arg0, arg1);
return ret;
},
bF: function() {
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
"./mekaar_widgets_discussions_bg.js": import0,
};
}
function __wasm_bindgen_func_elem_1584(arg0, arg1) {
wasm.__wasm_bindgen_func_elem_1584(arg0, arg1);
}
function __wasm_bindgen_func_elem_976(arg0, arg1, arg2) {
wasm.__wasm_bindgen_func_elem_976(arg0, arg1, arg2);
}
function __wasm_bindgen_func_elem_2761(arg0, arg1, arg2) {
const ret = wasm.__wasm_bindgen_func_elem_2761(arg0, arg1, arg2);
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
module_or_path = new URL('mekaar_widgets_discussions_bg-90ba4ed4.wasm', import.meta.url);
}
const imports = __wbg_get_imports();
if (typeof module_or_path === 'string' || (typeof Request === 'function' && module_or_path instanceof Request) || (typeof URL === 'function' && module_or_path instanceof URL)) {
module_or_path = fetch(module_or_path);
}
const { instance, module } = await __wbg_load(await module_or_path, imports);
return __wbg_finalize_init(instance, module);
}
export { initSync, __wbg_init as default };
