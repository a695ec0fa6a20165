// Shared by the React, Vue and hosted-widget demos (each a Vite project importing this folder).

/** Where the demo's provider points: `?base=` and `?app=` override the `npm start` defaults. */
export interface DemoSettings {
  baseUrl: string;
  appId: string;
}

export function demoSettings(search: string = location.search): DemoSettings {
  const params = new URLSearchParams(search);
  return {
    baseUrl: params.get('base') ?? 'http://127.0.0.1:3030',
    appId: params.get('app') ?? 'app_inkauthdemo0000000000',
  };
}
