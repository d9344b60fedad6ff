import { runProcess } from "@keyward/common";
import { main } from "./main.js";

runProcess("keyward", main);
