// Font files bundled as binary modules (wrangler.toml `[[rules]] type = "Data"`): an ArrayBuffer.
declare module "*.ttf" {
  const bytes: ArrayBuffer;
  export default bytes;
}
