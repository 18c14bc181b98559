import { StartPage } from "./scenes/StartPage.js";
import { WorkshopPage } from "./scenes/WorkshopPage.js";
import { Notice } from "./scenes/Notice.js";

/** Two pages: the start page and a workshop (/w/:id). */
export function App() {
  const path = window.location.pathname;
  if (path === "/") return <StartPage />;
  const workshop = /^\/w\/([^/]+)\/?$/.exec(path);
  if (workshop) return <WorkshopPage workshopId={decodeURIComponent(workshop[1]!)} />;
  return (
    <Notice title="Page not found">
      <p>There is nothing at this address.</p>
    </Notice>
  );
}
