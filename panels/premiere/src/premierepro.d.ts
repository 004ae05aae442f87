/** `require('premierepro')` in the entry; the types come from @adobe/premierepro. */
declare module 'premierepro' {
  const premierepro: import('@adobe/premierepro').premierepro;
  export = premierepro;
}
