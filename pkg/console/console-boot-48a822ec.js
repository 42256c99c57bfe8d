import init from "./mekaar_console-26cd1a74.js";
init();
