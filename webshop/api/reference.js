// The API reference renders the API's own description, generated from the same models that
// parse every request (/v1/openapi.json). A file of its own: the CSP allows no inline script.
window.addEventListener("DOMContentLoaded", () => {
  window.SwaggerUIBundle({
    url: "/v1/openapi.json",
    dom_id: "#api",
    deepLinking: true,
    defaultModelsExpandDepth: 0,
    docExpansion: "list",
  });
});
