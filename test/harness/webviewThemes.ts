/**
 * VS Code theme colours for webview tests. VS Code gives every webview its theme as `--vscode-*` CSS variables and a
 * body class (`vscode-light`, `vscode-dark`, `vscode-high-contrast`). These are the values of the default Light+ /
 * Dark+ / High Contrast themes for the variables our views use (a subset; add what a view needs).
 */

export type ThemeName = 'light' | 'dark' | 'high-contrast';

/** One theme: the body class VS Code sets and the CSS variables it injects. */
export interface WebviewTheme {
  name: ThemeName;
  bodyClass: string;
  variables: Readonly<Record<string, string>>;
}

const font = {
  '--vscode-font-family': '-apple-system, BlinkMacSystemFont, "Segoe WPC", "Segoe UI", "Ubuntu", "Droid Sans", sans-serif',
  '--vscode-font-size': '13px',
  '--vscode-font-weight': 'normal',
  '--vscode-editor-font-family': 'Consolas, "Courier New", monospace',
};

export const THEMES: Readonly<Record<ThemeName, WebviewTheme>> = {
  light: {
    name: 'light',
    bodyClass: 'vscode-light',
    variables: {
      ...font,
      '--vscode-foreground': '#3b3b3b',
      '--vscode-descriptionForeground': '#717171',
      '--vscode-errorForeground': '#f85149',
      '--vscode-editor-background': '#ffffff',
      '--vscode-sideBar-background': '#f8f8f8',
      '--vscode-editorWidget-background': '#f8f8f8',
      '--vscode-widget-border': '#e5e5e5',
      '--vscode-panel-border': '#e5e5e5',
      '--vscode-focusBorder': '#005fb8',
      '--vscode-button-background': '#005fb8',
      '--vscode-button-foreground': '#ffffff',
      '--vscode-button-hoverBackground': '#0258a8',
      '--vscode-button-border': '#0000001a',
      '--vscode-button-secondaryBackground': '#e5e5e5',
      '--vscode-button-secondaryForeground': '#3b3b3b',
      '--vscode-button-secondaryHoverBackground': '#cccccc',
      '--vscode-badge-background': '#cccccc',
      '--vscode-badge-foreground': '#3b3b3b',
      '--vscode-input-background': '#ffffff',
      '--vscode-input-foreground': '#3b3b3b',
      '--vscode-input-border': '#cecece',
      '--vscode-input-placeholderForeground': '#767676',
      '--vscode-inputValidation-warningBackground': '#f6f5d2',
      '--vscode-inputValidation-warningBorder': '#b89500',
      '--vscode-editorWarning-foreground': '#bf8803',
      '--vscode-list-hoverBackground': '#f2f2f2',
      '--vscode-textLink-foreground': '#005fb8',
      '--vscode-editor-selectionBackground': '#add6ff',
      '--vscode-charts-foreground': '#616161',
      '--vscode-charts-lines': 'rgba(97, 97, 97, 0.5)',
      '--vscode-charts-blue': '#1a85ff',
      '--vscode-charts-orange': '#d18616',
      '--vscode-charts-green': '#388a34',
      '--vscode-charts-red': '#e51400',
      '--vscode-diffEditor-insertedLineBackground': 'rgba(155, 185, 85, 0.2)',
      '--vscode-diffEditor-removedLineBackground': 'rgba(255, 0, 0, 0.2)',
      '--vscode-gitDecoration-addedResourceForeground': '#587c0c',
      '--vscode-gitDecoration-deletedResourceForeground': '#ad0707',
      '--vscode-gitDecoration-modifiedResourceForeground': '#895503',
    },
  },
  dark: {
    name: 'dark',
    bodyClass: 'vscode-dark',
    variables: {
      ...font,
      '--vscode-foreground': '#cccccc',
      '--vscode-descriptionForeground': '#9d9d9d',
      '--vscode-errorForeground': '#f85149',
      '--vscode-editor-background': '#1f1f1f',
      '--vscode-sideBar-background': '#181818',
      '--vscode-editorWidget-background': '#202020',
      '--vscode-widget-border': '#313131',
      '--vscode-panel-border': '#2b2b2b',
      '--vscode-focusBorder': '#0078d4',
      '--vscode-button-background': '#0078d4',
      '--vscode-button-foreground': '#ffffff',
      '--vscode-button-hoverBackground': '#026ec1',
      '--vscode-button-border': '#ffffff12',
      '--vscode-button-secondaryBackground': '#313131',
      '--vscode-button-secondaryForeground': '#cccccc',
      '--vscode-button-secondaryHoverBackground': '#3c3c3c',
      '--vscode-badge-background': '#616161',
      '--vscode-badge-foreground': '#f8f8f8',
      '--vscode-input-background': '#313131',
      '--vscode-input-foreground': '#cccccc',
      '--vscode-input-border': '#3c3c3c',
      '--vscode-input-placeholderForeground': '#989898',
      '--vscode-inputValidation-warningBackground': '#352a05',
      '--vscode-inputValidation-warningBorder': '#b89500',
      '--vscode-editorWarning-foreground': '#cca700',
      '--vscode-list-hoverBackground': '#2a2d2e',
      '--vscode-textLink-foreground': '#4daafc',
      '--vscode-editor-selectionBackground': '#264f78',
      '--vscode-charts-foreground': '#cccccc',
      '--vscode-charts-lines': 'rgba(204, 204, 204, 0.5)',
      '--vscode-charts-blue': '#3794ff',
      '--vscode-charts-orange': '#d18616',
      '--vscode-charts-green': '#89d185',
      '--vscode-charts-red': '#f14c4c',
      '--vscode-diffEditor-insertedLineBackground': 'rgba(155, 185, 85, 0.2)',
      '--vscode-diffEditor-removedLineBackground': 'rgba(255, 0, 0, 0.2)',
      '--vscode-gitDecoration-addedResourceForeground': '#81b88b',
      '--vscode-gitDecoration-deletedResourceForeground': '#c74e39',
      '--vscode-gitDecoration-modifiedResourceForeground': '#e2c08d',
    },
  },
  'high-contrast': {
    name: 'high-contrast',
    bodyClass: 'vscode-high-contrast',
    variables: {
      ...font,
      '--vscode-foreground': '#ffffff',
      '--vscode-descriptionForeground': '#ffffffb3',
      '--vscode-errorForeground': '#f48771',
      '--vscode-editor-background': '#000000',
      '--vscode-sideBar-background': '#000000',
      '--vscode-editorWidget-background': '#0c141f',
      '--vscode-contrastBorder': '#6fc3df',
      '--vscode-contrastActiveBorder': '#f38518',
      '--vscode-focusBorder': '#f38518',
      '--vscode-button-background': '#000000',
      '--vscode-button-foreground': '#ffffff',
      '--vscode-button-border': '#6fc3df',
      '--vscode-button-secondaryBackground': '#000000',
      '--vscode-button-secondaryForeground': '#ffffff',
      '--vscode-badge-background': '#000000',
      '--vscode-badge-foreground': '#ffffff',
      '--vscode-input-background': '#000000',
      '--vscode-input-foreground': '#ffffff',
      '--vscode-input-border': '#6fc3df',
      '--vscode-inputValidation-warningBackground': '#000000',
      '--vscode-inputValidation-warningBorder': '#6fc3df',
      '--vscode-editorWarning-foreground': '#fff50f',
      '--vscode-textLink-foreground': '#21a6ff',
      '--vscode-charts-foreground': '#ffffff',
      '--vscode-charts-lines': 'rgba(255, 255, 255, 0.5)',
      '--vscode-charts-blue': '#3794ff',
      '--vscode-charts-orange': '#d18616',
      '--vscode-charts-green': '#89d185',
      '--vscode-charts-red': '#f14c4c',
      '--vscode-diffEditor-insertedTextBorder': '#33ff2e',
      '--vscode-diffEditor-removedTextBorder': '#ff008f',
      '--vscode-gitDecoration-addedResourceForeground': '#a1e3ad',
      '--vscode-gitDecoration-deletedResourceForeground': '#c74e39',
      '--vscode-gitDecoration-modifiedResourceForeground': '#e2c08d',
    },
  },
};

/** The theme as a stylesheet: the variables on `html`, as VS Code sets them. */
export function themeCss(theme: WebviewTheme): string {
  const decls = Object.entries(theme.variables)
    .map(([k, v]) => `  ${k}: ${v};`)
    .join('\n');
  return `html {\n${decls}\n}\n`;
}
