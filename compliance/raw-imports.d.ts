// Vite's `?raw` suffix imports a file as a string (tests compare generated docs with the committed file).
declare module "*?raw" {
  const text: string;
  export default text;
}
