// enketo-core's settings on the web form pages: the map tiles the other pages use (MAP_TILE_URL,
// handed over in the page's configuration), never Google's.
import defaults from "enketo-core/config.js";

const page = () => {
  const element = document.getElementById("webform-config");
  return element ? JSON.parse(element.textContent) : {};
};

const escapeHtml = (text) =>
  String(text).replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

// Without a tile URL a blank image stands in for every tile: the map still works, offline too,
// and asks no other server (the page's policy allows `data:` images).
const BLANK_TILE = "data:image/gif;base64,R0lGODlhAQABAIAAAAAAAP///yH5BAEAAAAALAAAAAABAAEAAAIBRAA7";

const { tiles, attribution } = page().map || {};

export default {
  ...defaults,
  maps: [{ name: "streets", tiles: [tiles || BLANK_TILE], attribution: escapeHtml(attribution || "") }],
  googleApiKey: "",
};
