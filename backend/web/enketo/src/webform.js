// The web form page: an XForm from the server, transformed in the browser by enketo-transformer
// (the browser's own XSLT), filled with enketo-core, and sent as a phone sends it: the instance
// XML as `xml_submission_file` with its files, to the page's submission address.
import { Form } from "enketo-core";
import fileManager from "enketo-core/src/js/file-manager";
import { transform } from "enketo-transformer/web";

import { localize } from "./translator.js";

const XML = "text/xml";

const readConfig = () => {
  const element = document.getElementById("webform-config");
  return element ? JSON.parse(element.textContent) : null;
};

// The phone's entity selection: the household (and its village) already chosen, set in the
// form's own instance before enketo starts, so its calculations read them as on the phone.
const prefilled = (modelStr, values) => {
  if (!values || Object.keys(values).length === 0) return null;
  const model = new DOMParser().parseFromString(modelStr, XML);
  const primary = model.querySelector("instance > *");
  Object.entries(values).forEach(([path, value]) => {
    let node = primary;
    path.split("/").slice(2).forEach((name) => {
      node = node && Array.from(node.children).find((child) => child.localName === name);
    });
    if (node) node.textContent = value;
  });
  return new XMLSerializer().serializeToString(primary);
};

const externalData = (external) =>
  Object.entries(external || {}).map(([id, text]) => ({
    id,
    xml: new DOMParser().parseFromString(text, XML),
  }));

// The form's markup from the transformer. enketo-core asks the browser not to send the form
// with an `onsubmit` attribute, which the Content-Security-Policy refuses: a listener does it.
const insertForm = (holder, html) => {
  holder.innerHTML = html;
  const form = holder.querySelector("form.or");
  // Enter in a text box would otherwise send the page away with the answers.
  form.addEventListener("submit", (event) => event.preventDefault());
  return form;
};

// Enketo's language menu has no label of its own: screen readers say what it chooses.
const nameLanguageMenu = (formElement, words) => {
  const select = formElement.querySelector("#form-languages");
  if (select) select.setAttribute("aria-label", words.formLanguage);
};

// The form opens in the page's language when the form has it (its labels "English (en)",
// "中文 (zh)" give the codes).
const chooseLanguage = (formElement) => {
  const select = formElement.querySelector("#form-languages");
  const language = (document.documentElement.lang || "").split("-")[0];
  const option = select && Array.from(select.options).find((o) => o.value.split("-")[0] === language);
  if (option && select.value !== option.value) {
    select.value = option.value;
    select.dispatchEvent(new Event("change", { bubbles: true }));
  }
};

const show = (status, text, kind) => {
  status.textContent = text;
  status.className = `webform-status ${kind || ""}`;
};

const upload = async (config, form) => {
  const body = new FormData();
  const record = form.getDataStr();
  body.append("xml_submission_file", new Blob([record], { type: XML }), "submission.xml");
  fileManager.getCurrentFiles().forEach((file) => body.append(file.name, file, file.name));
  return fetch(config.submitUrl, {
    method: "POST",
    body,
    credentials: "same-origin",
    headers: { "X-CSRFToken": config.csrfToken, Accept: "application/json" },
  });
};

const submitter = (config, form, button, status) => async () => {
  button.disabled = true;
  try {
    if (!(await form.validate())) {
      show(status, config.words.invalid, "errors");
      return;
    }
    show(status, config.words.sending);
    const response = await upload(config, form);
    const answer = await response.json().catch(() => ({}));
    if (response.ok) {
      show(status, answer.message || config.words.sent, "ok");
      if (answer.url) window.location.assign(answer.url);
      return;
    }
    show(status, answer.message || config.words.failed, "errors");
  } catch (error) {
    show(status, config.words.failed, "errors");
  } finally {
    button.disabled = false;
  }
};

const start = async () => {
  const config = readConfig();
  if (!config) return;
  window.webformWords = config.enketo || {};
  const holder = document.getElementById("webform");
  const status = document.getElementById("webform-status");
  const survey = await transform({ xform: config.xform, media: config.media || {} });
  const formElement = insertForm(holder, survey.form);
  localize(formElement);
  const form = new Form(formElement, {
    modelStr: survey.model,
    instanceStr: prefilled(survey.model, config.prefill),
    external: externalData(config.external),
    submitted: false,
  });
  const errors = form.init();
  nameLanguageMenu(formElement, config.words);
  chooseLanguage(formElement);
  if (errors.length) show(status, `${config.words.loadErrors} ${errors.join(" ")}`, "errors");
  else show(status, "");
  document.body.dataset.webform = "ready";
  const button = document.getElementById("webform-submit");
  if (button && config.submitUrl) {
    button.hidden = false;
    button.addEventListener("click", submitter(config, form, button, status));
  }
};

start().catch((error) => {
  const status = document.getElementById("webform-status");
  const config = readConfig();
  if (status) show(status, `${config ? config.words.broken : ""} ${error.message}`, "errors");
  document.body.dataset.webform = "failed";
});
