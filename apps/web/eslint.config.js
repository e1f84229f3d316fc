export { default } from "@switchboard/eslint-config/react";
