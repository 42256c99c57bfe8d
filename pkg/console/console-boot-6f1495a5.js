import init from "./mekaar_console-a9f7c2b6.js";
init();
