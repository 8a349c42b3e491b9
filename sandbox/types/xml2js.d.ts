/** The part of xml2js 0.6 the emulator uses (the package ships no types). */
declare module 'xml2js' {
  export interface ParserOptions {
    readonly explicitArray?: boolean;
    readonly async?: boolean;
  }
  export function parseString(
    xml: string,
    options: ParserOptions,
    callback: (error: Error | null, result: unknown) => void,
  ): void;
}
