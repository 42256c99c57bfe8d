import init from "./mekaar_console-ad682e71.js";
init();
