import init from "./mekaar_console-3d3c7ce6.js";
init();
