import init from "./mekaar_console-c7839b01.js";
init();
