// Types for values-table.mjs, imported by the chart tests.
export declare const START: string;
export declare const END: string;
export declare function valuesTable(): string;
export declare function readmeWithTable(readme: string): string;
