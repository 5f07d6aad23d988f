import { mount } from "svelte";
import App from "./App.svelte";
import "./styles.css";

async function start() {
  // Outside the Tauri shell (vite dev, screenshots) a mocked backend answers the commands.
  // The production build never contains it.
  if (import.meta.env.DEV && !("__TAURI_INTERNALS__" in window)) {
    const params = new URLSearchParams(location.search);
    const { installMockBackend } = await import("./mock/backend");
    installMockBackend({ big: params.has("big"), empty: params.has("empty"), rosEmpty: params.has("rosempty") });
  }
  mount(App, { target: document.getElementById("app")! });
}

void start();
