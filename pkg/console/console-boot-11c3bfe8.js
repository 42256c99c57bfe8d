import init from "./mekaar_console-2f59af7b.js";
init();
