export { default } from "@switchboard/eslint-config/base";
