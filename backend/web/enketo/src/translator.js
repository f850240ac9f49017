// enketo-core's translator: its interface words from the page, which Django translated into
// the page's language. A key the page does not give is shown in enketo's own English.
import { t as english } from "enketo-core/src/js/fake-translator";

const words = () => window.webformWords || {};

const fill = (text, options) =>
  text.replace(/__([a-zA-Z]+)__/g, (whole, name) =>
    options && options[name] !== undefined ? String(options[name]) : whole,
  );

export const t = (key, options) => {
  const text = words()[key];
  return text ? fill(text, options) : english(key, options);
};

// The messages the XSL transformation writes into the form (data-i18n) in the page's language.
export const localize = (container) => {
  container.querySelectorAll("[data-i18n]").forEach((element) => {
    const text = words()[element.dataset.i18n];
    if (text) element.textContent = text;
  });
};
