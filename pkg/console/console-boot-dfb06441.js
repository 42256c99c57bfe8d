import init from "./mekaar_console-e5a782ea.js";
init();
