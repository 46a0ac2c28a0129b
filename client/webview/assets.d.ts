// esbuild emits the imported stylesheet next to the bundle (dist/media/webview.css).
declare module '*.css';
