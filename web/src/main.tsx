import { createRoot } from "react-dom/client";
import { App } from "./App.js";
import "./styles/app.css";

createRoot(document.getElementById("root")!).render(<App />);

// The app shell works offline once loaded (see sw.ts); not in `vite dev`.
if (import.meta.env.PROD && "serviceWorker" in navigator) {
  void navigator.serviceWorker.register("/sw.js").catch((error: unknown) => console.warn("offline support unavailable:", error));
}
