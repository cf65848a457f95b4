// GOV.UK Frontend's components (error summary focus, skip link, buttons), where it is installed.
import { initAll } from "./govuk/govuk-frontend.min.js";

document.body.classList.add("js-enabled", "govuk-frontend-supported");
initAll();
